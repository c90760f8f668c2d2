using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Databases;

public sealed class PrefixTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>The names of the entries (directories) a Db created next to its lock file.</summary>
    private string[] StoreDirectories() =>
        Directory.GetDirectories(temp.Path).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> InvalidPrefixes =>
    [
        "",
        ".",
        "..",
        "a/b",
        "/",
        "a b",
        " ",
        "é",
        "a\\b",
        "a*b",
        "a?b",
        "a|b",
        "a\"b",
        "a<b>",
        "a\tb",
        "a\0b",
        "a+b",
        "a~",
        "^a",
        new string('a', 101),
    ];

    public static TheoryData<string> ValidPrefixes =>
    [
        "a",
        "Z",
        "0",
        "_",
        "-",
        ":",
        "...",
        "a.",
        ".a",
        "a..",
        "orders:l",
        "AZaz09._:-",
        new string('x', 100),
        new string('X', 99) + ".",
    ];

    [Theory]
    [MemberData(nameof(InvalidPrefixes))]
    public void Ledger_Open_with_an_invalid_prefix_throws_ArgumentException_and_creates_nothing(string prefix)
    {
        using var db = Db.Open(temp.Path);

        Assert.ThrowsAny<ArgumentException>(() => Ledger.Open(db, new LedgerOptions { Prefix = prefix }));

        Assert.Empty(StoreDirectories());
    }

    [Fact]
    public void Ledger_Open_with_a_null_prefix_throws_ArgumentException()
    {
        using var db = Db.Open(temp.Path);

        Assert.ThrowsAny<ArgumentException>(() => Ledger.Open(db, new LedgerOptions { Prefix = null! }));
    }

    [Theory]
    [MemberData(nameof(ValidPrefixes))]
    public void Every_valid_prefix_opens_a_ledger_whose_data_survives_reopening(string prefix)
    {
        using (var host = new LedgerHost(temp.Path, new LedgerOptions { Prefix = prefix }))
        {
            host.Ledger.Write(EntriesOf(1, 2));
            host.Reopen();
            AssertState(host.Ledger, 2, 0, 1, 2);
        }

        string directory = Assert.Single(StoreDirectories());
        Assert.DoesNotContain(':', directory);
        Assert.False(directory.EndsWith('.'), $"'{directory}' ends with '.', which Windows strips");
    }

    [Fact]
    public void A_prefix_of_100_characters_is_valid()
    {
        using var db = Db.Open(temp.Path);

        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = new string('p', 100) });

        ledger.Write(EntriesOf(1));
        AssertState(ledger, 1, 0, 1);
    }

    [Fact]
    public void A_colon_in_the_prefix_maps_to_a_directory_name_without_a_colon()
    {
        using (var host = new LedgerHost(temp.Path, new LedgerOptions { Prefix = "orders:l" }))
        {
            host.Ledger.Write(EntriesOf(1));
        }

        string directory = Assert.Single(StoreDirectories());
        Assert.StartsWith("ledger-", directory, StringComparison.Ordinal);
        Assert.DoesNotContain(':', directory);
    }

    [Fact]
    public void Prefixes_differing_only_in_case_are_distinct_ledgers_with_separate_data()
    {
        using (var db = Db.Open(temp.Path))
        using (var upper = Ledger.Open(db, new LedgerOptions { Prefix = "Orders" }))
        using (var lower = Ledger.Open(db, new LedgerOptions { Prefix = "orders" }))
        {
            upper.Write(EntriesOf(1, 2));
            lower.Write(EntriesOf(10));
            lower.Delete(10);
            lower.Write(EntriesOf(20, 30));
        }

        string[] directories = StoreDirectories();
        Assert.Equal(2, directories.Length);
        Assert.Equal(2, directories.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        using (var db = Db.Open(temp.Path))
        using (var upper = Ledger.Open(db, new LedgerOptions { Prefix = "Orders" }))
        using (var lower = Ledger.Open(db, new LedgerOptions { Prefix = "orders" }))
        {
            AssertState(upper, 2, 0, 1, 2);
            AssertState(lower, 30, 10, 20, 30);
        }
    }

    [Theory]
    [InlineData("a", "a.")]
    [InlineData("a:b", "a-b")]
    [InlineData("a:b", "a_b")]
    [InlineData("x.y", "x..y")]
    [InlineData("AB", "Ab")]
    [InlineData("aB", "ab")]
    public void Prefixes_that_naive_file_names_could_merge_are_distinct_ledgers(string one, string other)
    {
        using (var db = Db.Open(temp.Path))
        using (var first = Ledger.Open(db, new LedgerOptions { Prefix = one }))
        using (var second = Ledger.Open(db, new LedgerOptions { Prefix = other }))
        {
            first.Write(EntriesOf(1));
            second.Write(EntriesOf(2, 3));
        }

        string[] directories = StoreDirectories();
        Assert.Equal(2, directories.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(directories, d => Assert.False(d.EndsWith('.') || d.Contains(':', StringComparison.Ordinal), d));

        using (var db = Db.Open(temp.Path))
        using (var first = Ledger.Open(db, new LedgerOptions { Prefix = one }))
        using (var second = Ledger.Open(db, new LedgerOptions { Prefix = other }))
        {
            AssertState(first, 1, 0, 1);
            AssertState(second, 3, 0, 2, 3);
        }
    }

    [Fact]
    public void The_prefix_is_compared_exactly_so_an_open_prefix_blocks_only_itself()
    {
        using var db = Db.Open(temp.Path);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = "Orders" });

        Assert.Throws<InvalidOperationException>(() => Ledger.Open(db, new LedgerOptions { Prefix = "Orders" }));
        using var other = Ledger.Open(db, new LedgerOptions { Prefix = "orders" });
    }
}
