namespace Quasar.Tests.BadInput;

/// <summary>
/// Every public member of <see cref="Table"/> called with bad arguments throws the documented
/// exception and leaves every file of the database byte-identical, with and without the cache.
/// </summary>
public sealed class TableBadInputTests : IDisposable
{
    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    /// <summary>1,025 UTF-8 bytes: one more than a name may have.</summary>
    private static readonly string TooLong = new string('\u00e9', 512) + "x";

    // Names that are not valid UTF-16 have no UTF-8 form (storage review F10). Cases are passed by
    // name, never as strings, so a runner that serializes theory data cannot repair the surrogates.
    private static readonly Dictionary<string, string> BadNames = new()
    {
        ["empty"] = "",
        ["1,025 UTF-8 bytes"] = TooLong,
        ["ending in a lone high surrogate"] = "a\uD800",
        ["a lone low surrogate"] = "\uDC00",
        ["a high surrogate before a non-surrogate"] = "x\uDBFFy",
        ["a reversed surrogate pair"] = "\uDC00\uD800",
    };

    private static readonly Dictionary<string, Action<Table, string?>> NameMembers = new()
    {
        ["Set"] = (t, name) => t.Set(name!, 2),
        ["Get"] = (t, name) => t.Get(name!),
        ["Delete"] = (t, name) => t.Delete(name!),
    };

    private static readonly Dictionary<string, Action<Table>> Members = new()
    {
        ["Set"] = t => t.Set("kept", 2),
        ["Set with no positions"] = t => t.Set("kept"),
        ["Get"] = t => t.Get("kept"),
        ["All"] = t => t.All(),
        ["Delete"] = t => t.Delete("kept"),
        ["Range"] = t => t.Range(),
    };

    private static readonly Dictionary<string, Action<SweepStore>> OpenCalls = new()
    {
        ["a null database"] = s => Table.Open(null!, new TableOptions { Prefix = "other" }),
        ["null options"] = s => Table.Open(s.Db, null!),
        ["a null prefix"] = s => Table.Open(s.Db, new TableOptions { Prefix = null! }),
    };

    public static TheoryData<string, string, bool> BadNameCases
    {
        get
        {
            var cases = new TheoryData<string, string, bool>();
            foreach (string member in NameMembers.Keys)
            {
                foreach (string name in BadNames.Keys)
                {
                    cases.Add(member, name, false);
                    cases.Add(member, name, true);
                }
            }

            return cases;
        }
    }

    public static TheoryData<string, bool> NullNameCases => CrossWithCache(NameMembers.Keys);

    public static TheoryData<string, bool> MemberCases => CrossWithCache(Members.Keys);

    public static TheoryData<string> OpenCases => [.. OpenCalls.Keys];

    private static TheoryData<string, bool> CrossWithCache(IEnumerable<string> members)
    {
        var cases = new TheoryData<string, bool>();
        foreach (string member in members)
        {
            cases.Add(member, false);
            cases.Add(member, true);
        }

        return cases;
    }

    private Table Open(bool cache) => Table.Open(store.Db, new TableOptions { Prefix = "names", Cache = cache });

    [Theory]
    [MemberData(nameof(BadNameCases))]
    public void A_name_that_is_empty_too_long_or_not_UTF16_throws_ArgumentException_and_leaves_files_unchanged(string member, string name, bool cache)
    {
        using Table table = Open(cache);
        table.Set("kept", 1);

        store.Refuses<ArgumentException>(() => NameMembers[member](table, BadNames[name]));

        Assert.Equal(["kept"], table.All().Keys);
    }

    [Theory]
    [MemberData(nameof(NullNameCases))]
    public void A_null_name_throws_ArgumentNullException_and_leaves_files_unchanged(string member, bool cache)
    {
        using Table table = Open(cache);
        table.Set("kept", 1);

        store.Refuses<ArgumentNullException>(() => NameMembers[member](table, null));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Set_of_more_than_1048576_positions_throws_ArgumentException_and_leaves_files_unchanged(bool cache)
    {
        using Table table = Open(cache);
        table.Set("kept", 1);

        store.Refuses<ArgumentException>(() => table.Set("kept", new ulong[(1 << 20) + 1]));
    }

    [Fact]
    public void Set_with_no_positions_is_a_no_op_that_leaves_files_unchanged()
    {
        store.Db.Sync();
        DirectorySnapshot before = DirectorySnapshot.Take(store.Path);

        store.Table.Set("kept");
        store.Table.Set("new");
        store.Db.Sync();

        before.AssertUnchanged();
        Assert.Equal([1UL], store.Table.Get("kept"));
    }

    [Theory]
    [MemberData(nameof(OpenCases))]
    public void Open_with_a_null_argument_throws_ArgumentNullException_and_leaves_files_unchanged(string call) =>
        store.Refuses<ArgumentNullException>(() => OpenCalls[call](store));

    [Theory]
    [InlineData("ledger")]
    [InlineData("table")]
    public void Open_of_a_prefix_open_on_the_Db_throws_InvalidOperationException_and_leaves_files_unchanged(string prefix) =>
        store.Refuses<InvalidOperationException>(() => Table.Open(store.Db, new TableOptions { Prefix = prefix }));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("t\u00e4ble")]
    public void Open_with_an_invalid_prefix_throws_ArgumentException_and_leaves_files_unchanged(string prefix) =>
        store.Refuses<ArgumentException>(() => Table.Open(store.Db, new TableOptions { Prefix = prefix }));

    [Theory]
    [MemberData(nameof(MemberCases))]
    public void Every_member_after_Dispose_throws_ObjectDisposedException_and_leaves_files_unchanged(string member, bool cache)
    {
        Table table = Open(cache);
        table.Set("kept", 1);
        table.Dispose();

        store.Refuses<ObjectDisposedException>(() => Members[member](table));
    }

    [Theory]
    [MemberData(nameof(MemberCases))]
    public void Every_member_after_the_Db_is_disposed_throws_ObjectDisposedException_and_leaves_files_unchanged(string member, bool cache)
    {
        Table table = Open(cache);
        table.Set("kept", 1);
        store.DisposeDb();

        store.Refuses<ObjectDisposedException>(() => Members[member](table));
    }

    [Fact]
    public void Open_on_a_disposed_Db_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.DisposeDb();

        store.Refuses<ObjectDisposedException>(() => Table.Open(store.Db, new TableOptions { Prefix = "other" }));
    }
}
