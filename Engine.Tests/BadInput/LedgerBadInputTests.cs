using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.BadInput;

/// <summary>
/// Every public member of <see cref="Ledger"/> called with bad arguments throws the documented
/// exception and leaves every file of the database byte-identical. The ledger holds 1..3, has
/// Limit 5 (two more entries fit) and a cache, so each refusal has a store it could damage.
/// </summary>
public sealed class LedgerBadInputTests : IDisposable
{
    private readonly SweepStore store = new(new LedgerOptions { Prefix = "ledger", Limit = 5, Cache = 8 });

    public void Dispose() => store.Dispose();

    private static Entry Oversized(ulong sequence) => new(sequence, new byte[Ledger.MaxPayloadLength + 1]);

    private static readonly Dictionary<string, Action<SweepStore>> NullArguments = new()
    {
        ["Open with a null database"] = s => Ledger.Open(null!, new LedgerOptions { Prefix = "other" }),
        ["Open with null options"] = s => Ledger.Open(s.Db, null!),
        ["Open with a null prefix"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = null! }),
        ["Subscribe of null"] = s => s.Ledger.Subscribe(null!),
        ["Unsubscribe of null"] = s => s.Ledger.Unsubscribe(null!),
    };

    private static readonly Dictionary<string, Action<SweepStore>> OutOfRange = new()
    {
        ["Open with Cache -1"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "other", Cache = -1 }),
        ["Open with Cache int.MinValue"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "other", Cache = int.MinValue }),
        ["Open with Limit -1"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "other", Limit = -1 }),
        ["Open with Limit long.MinValue"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "other", Limit = long.MinValue }),
        ["Read of amount 0"] = s => s.Ledger.Read(1, 0),
        ["Read of amount -1"] = s => s.Ledger.Read(1, -1),
        ["Read of amount int.MinValue"] = s => s.Ledger.Read(ulong.MaxValue, int.MinValue),
    };

    private static readonly Dictionary<string, Action<SweepStore>> InvalidArguments = new()
    {
        ["Open with an empty prefix"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "" }),
        ["Open with prefix '..'"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = ".." }),
        ["Open with a path as prefix"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "../ledger" }),
        ["Open with a 101-character prefix"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = new string('p', 101) }),
        ["Open with a non-ASCII prefix"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "l\u00e9dger" }),
        ["Write of an oversized payload"] = s => s.Ledger.Write(Oversized(4)),
        ["Write of an oversized payload after a valid entry"] = s => s.Ledger.Write(TestEntries.Make(4), Oversized(5)),
        // Payload size is checked first: before Limit and before monotonicity.
        ["Write of an oversized payload that is also not monotonic"] = s => s.Ledger.Write(Oversized(2)),
        ["Write of an oversized payload that is also over the limit"] = s => s.Ledger.Write(TestEntries.Make(4), TestEntries.Make(5), TestEntries.Make(6), Oversized(7)),
    };

    private static readonly Dictionary<string, Action<SweepStore>> NotMonotonic = new()
    {
        ["Write of sequence 0 (never above Head)"] = s => s.Ledger.Write(TestEntries.Make(0)),
        ["Write of the Head sequence again"] = s => s.Ledger.Write(TestEntries.Make(3)),
        ["Write below Head"] = s => s.Ledger.Write(TestEntries.Make(1)),
        ["Write of a batch repeating a sequence"] = s => s.Ledger.Write(EntriesOf(4, 4)),
        ["Write of a batch out of order"] = s => s.Ledger.Write(EntriesOf(5, 4)),
        ["Write of a batch going back below Head"] = s => s.Ledger.Write(EntriesOf(4, 3)),
    };

    private static readonly Dictionary<string, Action<SweepStore>> OverLimit = new()
    {
        ["Write of three entries where two fit"] = s => s.Ledger.Write(EntriesOf(4, 5, 6)),
        // Limit is checked before monotonicity.
        ["Write of three entries out of order where two fit"] = s => s.Ledger.Write(EntriesOf(6, 5, 4)),
        ["Write of three entries ending at ulong.MaxValue where two fit"] = s => s.Ledger.Write(EntriesOf(4, 5, ulong.MaxValue)),
    };

    private static readonly Dictionary<string, Action<SweepStore>> PrefixTaken = new()
    {
        ["Open of the prefix of the open ledger"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "ledger" }),
        ["Open of the prefix of the open table"] = s => Ledger.Open(s.Db, new LedgerOptions { Prefix = "table" }),
    };

    public static TheoryData<string> NullArgumentCases => [.. NullArguments.Keys];

    public static TheoryData<string> OutOfRangeCases => [.. OutOfRange.Keys];

    public static TheoryData<string> InvalidArgumentCases => [.. InvalidArguments.Keys];

    public static TheoryData<string> NotMonotonicCases => [.. NotMonotonic.Keys];

    public static TheoryData<string> OverLimitCases => [.. OverLimit.Keys];

    public static TheoryData<string> PrefixTakenCases => [.. PrefixTaken.Keys];

    public static TheoryData<string> MemberNames => [.. LedgerMembers.All.Keys];

    [Theory]
    [MemberData(nameof(NullArgumentCases))]
    public void A_null_argument_throws_ArgumentNullException_and_leaves_files_unchanged(string call) =>
        store.Refuses<ArgumentNullException>(() => NullArguments[call](store));

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void A_negative_count_throws_ArgumentOutOfRangeException_and_leaves_files_unchanged(string call) =>
        store.Refuses<ArgumentOutOfRangeException>(() => OutOfRange[call](store));

    [Theory]
    [MemberData(nameof(InvalidArgumentCases))]
    public void A_bad_prefix_or_oversized_payload_throws_ArgumentException_and_leaves_files_unchanged(string call) =>
        store.Refuses<ArgumentException>(() => InvalidArguments[call](store));

    [Theory]
    [MemberData(nameof(NotMonotonicCases))]
    public void Write_of_sequences_not_above_Head_and_increasing_throws_NotMonotonicException_and_leaves_files_unchanged(string call) =>
        store.Refuses<NotMonotonicException>(() => NotMonotonic[call](store));

    [Theory]
    [MemberData(nameof(OverLimitCases))]
    public void Write_beyond_Limit_throws_LimitReachedException_and_leaves_files_unchanged(string call) =>
        store.Refuses<LimitReachedException>(() => OverLimit[call](store));

    [Theory]
    [MemberData(nameof(PrefixTakenCases))]
    public void Open_of_a_prefix_open_on_the_Db_throws_InvalidOperationException_and_leaves_files_unchanged(string call) =>
        store.Refuses<InvalidOperationException>(() => PrefixTaken[call](store));

    [Theory]
    [MemberData(nameof(MemberNames))]
    public void Every_member_after_Dispose_throws_ObjectDisposedException_and_leaves_files_unchanged(string member)
    {
        store.Ledger.Dispose();

        store.Refuses<ObjectDisposedException>(() => LedgerMembers.All[member](store.Ledger));
    }

    [Fact]
    public void Open_on_a_disposed_Db_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.DisposeDb();

        store.Refuses<ObjectDisposedException>(() => Ledger.Open(store.Db, new LedgerOptions { Prefix = "other" }));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(ulong.MaxValue)]
    public void Read_of_int_MaxValue_entries_returns_the_live_ones_without_allocating_for_the_amount(ulong from)
    {
        IReadOnlyList<Entry> entries = store.Ledger.Read(from, int.MaxValue);

        Assert.Equal(from == 1 ? [1UL, 2, 3] : [], SequencesOf(entries));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(-4L)]
    [InlineData(3L)]
    public void Index_far_out_of_range_returns_Head_not_found(long index)
    {
        Assert.Equal((3UL, false), store.Ledger.Index(index));
    }

    [Fact]
    public void A_Cache_of_int_MaxValue_opens_and_serves_reads_without_allocating_for_it()
    {
        using Ledger cached = Ledger.Open(store.Db, new LedgerOptions { Prefix = "cached", Cache = int.MaxValue });
        cached.Write(EntriesOf(1, 2, 3));

        Assert.Equal([2UL, 3], SequencesOf(cached.Read(2, int.MaxValue)));
    }
}
