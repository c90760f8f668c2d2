using Quasar.Storage;

namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="DbInspector"/> with bad arguments: the documented exception at the call (also for the
/// lazily enumerated readers) and no file changed: the inspector only reads, even a live database.
/// </summary>
public sealed class DbInspectorBadInputTests : IDisposable
{
    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    private DbInspector Inspector() => DbInspector.Open(store.Path);

    private static StoreInfo Store(DbInspector inspector, string prefix) => inspector.Stores.Single(s => s.Prefix == prefix);

    private static readonly Dictionary<string, Action<DbInspector>> NullStores = new()
    {
        ["ReadTail"] = i => i.ReadTail(null!),
        ["ReadTable"] = i => i.ReadTable(null!),
        ["ReadSegments"] = i => i.ReadSegments(null!),
        ["ReadEntries"] = i => i.ReadEntries(null!),
    };

    private static readonly Dictionary<string, Action<DbInspector, StoreInfo, StoreInfo>> WrongStores = new()
    {
        ["ReadTail of a table"] = (i, ledger, table) => i.ReadTail(table),
        ["ReadTable of a ledger"] = (i, ledger, table) => i.ReadTable(ledger),
        ["ReadSegments of a table"] = (i, ledger, table) => i.ReadSegments(table),
        ["ReadEntries of a table"] = (i, ledger, table) => i.ReadEntries(table),
        ["ReadEntries of a ledger of another directory"] = (i, ledger, table) => i.ReadEntries(ledger with { Directory = ledger.Directory + "x" }),
        ["ReadTable of a made-up table"] = (i, ledger, table) => i.ReadTable(new StoreInfo("other", StoreKind.Table, table.Directory)),
    };

    public static TheoryData<string> NullStoreCases => [.. NullStores.Keys];

    public static TheoryData<string> WrongStoreCases => [.. WrongStores.Keys];

    [Theory]
    [MemberData(nameof(NullStoreCases))]
    public void A_null_store_throws_ArgumentNullException_at_the_call_and_leaves_files_unchanged(string member)
    {
        DbInspector inspector = Inspector();

        store.Refuses<ArgumentNullException>(() => NullStores[member](inspector));
    }

    [Theory]
    [MemberData(nameof(WrongStoreCases))]
    public void A_store_of_the_wrong_kind_or_not_of_the_directory_throws_ArgumentException_at_the_call_and_leaves_files_unchanged(string member)
    {
        DbInspector inspector = Inspector();

        store.Refuses<ArgumentException>(() => WrongStores[member](inspector, Store(inspector, "ledger"), Store(inspector, "table")));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void ReadEntries_of_a_negative_count_throws_ArgumentOutOfRangeException_at_the_call_and_leaves_files_unchanged(long count)
    {
        DbInspector inspector = Inspector();

        store.Refuses<ArgumentOutOfRangeException>(() => inspector.ReadEntries(Store(inspector, "ledger"), 0, count));
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(0)]
    [InlineData(int.MinValue)]
    public void Open_with_a_buffer_below_4096_bytes_throws_ArgumentOutOfRangeException_and_leaves_files_unchanged(int bufferSize) =>
        store.Refuses<ArgumentOutOfRangeException>(() => DbInspector.Open(store.Path, bufferSize));

    [Fact]
    public void Open_of_a_null_directory_throws_ArgumentNullException() =>
        store.Refuses<ArgumentNullException>(() => DbInspector.Open(null!));

    [Fact]
    public void Open_of_an_empty_directory_name_throws_ArgumentException() =>
        store.Refuses<ArgumentException>(() => DbInspector.Open(""));

    [Fact]
    public void Open_of_a_missing_directory_throws_DirectoryNotFoundException_and_creates_nothing() =>
        store.Refuses<DirectoryNotFoundException>(() => DbInspector.Open(Path.Combine(store.Path, "missing")));

    [Theory]
    [InlineData(0UL, long.MaxValue, 3)]
    [InlineData(ulong.MaxValue, long.MaxValue, 0)]
    [InlineData(2UL, 0L, 0)]
    public void ReadEntries_at_the_extremes_returns_what_is_there_and_leaves_files_unchanged(ulong from, long count, int expected)
    {
        store.Db.Sync();
        DirectorySnapshot before = DirectorySnapshot.Take(store.Path);
        DbInspector inspector = Inspector();

        Assert.Equal(expected, inspector.ReadEntries(Store(inspector, "ledger"), from, count).Count());
        Assert.Empty(inspector.Check());

        before.AssertUnchanged();
    }

    [Fact]
    public void A_buffer_of_int_MaxValue_bytes_checks_without_allocating_for_it()
    {
        DbInspector inspector = DbInspector.Open(store.Path, int.MaxValue);

        Assert.Empty(inspector.Check());
        Assert.Equal(3, inspector.ReadEntries(Store(inspector, "ledger")).Count());
    }
}
