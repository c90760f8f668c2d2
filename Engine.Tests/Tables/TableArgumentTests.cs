using Quasar.Tests.Support;

namespace Quasar.Tests.Tables;

/// <summary>Bad arguments throw the standard <see cref="ArgumentException"/> family and change nothing.</summary>
public sealed class TableArgumentTests
{
    /// <summary>A name one UTF-8 byte longer than allowed (1,024 bytes).</summary>
    private static readonly string TooLong = new string('é', 512) + "x";

    public static TheoryData<string, bool> BadNames => new()
    {
        { string.Empty, false },
        { string.Empty, true },
        { TooLong, false },
        { TooLong, true },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Set_Get_and_Delete_of_an_empty_or_too_long_name_throw_ArgumentException_and_change_nothing(string name, bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("kept", 1);

        Assert.Throws<ArgumentException>(() => host.Table.Set(name, 2));
        Assert.Throws<ArgumentException>(() => host.Table.Get(name));
        Assert.Throws<ArgumentException>(() => host.Table.Delete(name));

        Assert.Equal(["kept"], host.Table.All().Keys);
    }

    [Theory]
    [WithAndWithoutCache]
    public void Set_Get_and_Delete_of_a_null_name_throw_ArgumentNullException(bool cache)
    {
        using var host = new TableHost(cache);

        Assert.Throws<ArgumentNullException>(() => host.Table.Set(null!, 1));
        Assert.Throws<ArgumentNullException>(() => host.Table.Get(null!));
        Assert.Throws<ArgumentNullException>(() => host.Table.Delete(null!));

        Assert.Empty(host.Table.All());
    }

    [Theory]
    [WithAndWithoutCache]
    public void Set_of_more_than_1048576_positions_throws_ArgumentException_and_keeps_the_old_value(bool cache)
    {
        using var host = new TableHost(cache);
        host.Table.Set("consumer", 1);

        Assert.Throws<ArgumentException>(() => host.Table.Set("consumer", new ulong[(1 << 20) + 1]));

        Assert.Equal([1UL], host.Table.Get("consumer"));
    }

    [Fact]
    public void Open_with_a_null_database_or_options_throws_ArgumentNullException()
    {
        using var temp = new TempDirectory();
        using var db = Db.Open(temp.Path);

        Assert.Throws<ArgumentNullException>(() => Table.Open(null!, new TableOptions { Prefix = "t" }));
        Assert.Throws<ArgumentNullException>(() => Table.Open(db, null!));
    }
}
