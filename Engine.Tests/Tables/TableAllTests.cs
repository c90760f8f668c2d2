using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary><see cref="Table.All"/> returns copies of every name's positions.</summary>
public sealed class TableAllTests
{
    [Theory]
    [WithAndWithoutCache]
    public void All_of_a_new_table_is_empty(bool cache)
    {
        using var host = new TableHost(cache);

        Assert.Empty(host.Table.All());
    }

    [Theory]
    [WithAndWithoutCache]
    public void All_returns_every_name_with_its_current_positions(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1, 2);
        host.Table.Set("b", 5);
        host.Table.Set("a", 3);
        host.Table.Set("c", 8, 9);
        host.Table.Delete("c");

        IReadOnlyDictionary<string, ulong[]> all = host.Table.All();

        Assert.Equal(2, all.Count);
        Assert.Equal([3UL], all["a"]);
        Assert.Equal([5UL], all["b"]);
    }

    [Theory]
    [WithAndWithoutCache]
    public void Changing_the_arrays_All_returned_changes_nothing_in_the_table(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1, 2);

        host.Table.All()["a"][0] = 99;

        Assert.Equal([1UL, 2UL], host.Table.Get("a"));
    }

    [Theory]
    [WithAndWithoutCache]
    public void All_is_a_snapshot_that_later_calls_do_not_change(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("a", 1);
        IReadOnlyDictionary<string, ulong[]> before = host.Table.All();

        host.Table.Set("a", 2);
        host.Table.Set("b", 3);

        Assert.Equal(["a"], before.Keys);
        Assert.Equal([1UL], before["a"]);
    }
}
