using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary>What a table holds survives closing and reopening, whichever cache setting wrote it and whichever reads it.</summary>
public sealed class TablePersistenceTests
{
    public static TheoryData<bool, bool> CacheSettings => new()
    {
        { false, false },
        { false, true },
        { true, false },
        { true, true },
    };

    [Theory]
    [MemberData(nameof(CacheSettings))]
    public void Sets_and_deletes_are_there_after_reopening(bool writtenCached, bool readCached)
    {
        using var host = new TableHost(writtenCached);
        host.Table.Set("a", 1, 2);
        host.Table.Set("b", 3);
        host.Table.Set("a", 4, 5, 6);
        host.Table.Set("c", 0);
        host.Table.Delete("b");

        Table reopened = host.Reopen(readCached);

        Assert.Equal(["a", "c"], reopened.All().Keys.Order(StringComparer.Ordinal));
        Assert.Equal([4UL, 5UL, 6UL], reopened.Get("a"));
        Assert.Empty(reopened.Get("b"));
        Assert.Equal([0UL], reopened.Get("c"));
        Assert.Equal((0UL, 6UL, true), reopened.Range());
    }

    [Theory]
    [MemberData(nameof(CacheSettings))]
    public void A_table_whose_names_were_all_deleted_reopens_empty(bool writtenCached, bool readCached)
    {
        using var host = new TableHost(writtenCached);
        host.Table.Set("a", 1);
        host.Table.Delete("a");

        Table reopened = host.Reopen(readCached);

        Assert.Empty(reopened.All());
        Assert.Equal((0UL, 0UL, false), reopened.Range());
    }

    /// <summary>Replacing a name over and over grows the file past the point where the table rewrites it: only the last values remain.</summary>
    [Theory]
    [MemberData(nameof(CacheSettings))]
    public void After_many_replacements_only_the_last_values_remain_also_after_reopening(bool writtenCached, bool readCached)
    {
        using var host = new TableHost(writtenCached);
        ulong[] positions = new ulong[1000];
        for (int round = 0; round < 300; round++)
        {
            Array.Fill(positions, (ulong)round);
            host.Table.Set("busy", positions);
            host.Table.Set("quiet", (ulong)round);
        }

        Assert.Equal(Enumerable.Repeat(299UL, 1000), host.Table.Get("busy"));
        Table reopened = host.Reopen(readCached);
        Assert.Equal(Enumerable.Repeat(299UL, 1000), reopened.Get("busy"));
        Assert.Equal([299UL], reopened.Get("quiet"));
        Assert.Equal(2, reopened.All().Count);
    }
}
