namespace Quasar.Tests.BadInput;

/// <summary>
/// <see cref="Queue"/> with bad options, taken prefixes and calls after dispose: the documented
/// exception and no file changed (no half-opened queue leaves a ledger or table behind).
/// </summary>
public sealed class QueueBadInputTests : IDisposable
{
    private readonly SweepStore store = new();

    public void Dispose() => store.Dispose();

    private static readonly Dictionary<string, QueueOptions> OutOfRangeOptions = new()
    {
        ["LedgerCache -1"] = new() { Prefix = "q", LedgerCache = -1 },
        ["LedgerLimit -1"] = new() { Prefix = "q", LedgerLimit = -1 },
        ["CleanRetention -1"] = new() { Prefix = "q", CleanRetention = -1 },
        ["CleanThreshold long.MinValue"] = new() { Prefix = "q", CleanThreshold = long.MinValue },
        ["CleanMaxAge -1 tick"] = new() { Prefix = "q", CleanMaxAge = -TimeSpan.FromTicks(1) },
        ["CleanMaxBytes -1"] = new() { Prefix = "q", CleanMaxBytes = -1 },
        ["CleanInterval -1 tick"] = new() { Prefix = "q", CleanInterval = -TimeSpan.FromTicks(1) },
        // Beyond what a .NET timer can wait: refused before the ledger and table are created.
        ["CleanInterval TimeSpan.MaxValue"] = new() { Prefix = "q", CleanInterval = TimeSpan.MaxValue },
    };

    private static readonly Dictionary<string, QueueOptions> InvalidPrefixes = new()
    {
        ["empty"] = new() { Prefix = "" },
        ["99 characters (no room for ':l')"] = new() { Prefix = new string('q', 99) },
        ["with a slash"] = new() { Prefix = "q/r" },
    };

    public static TheoryData<string> OutOfRangeCases => [.. OutOfRangeOptions.Keys];

    public static TheoryData<string> InvalidPrefixCases => [.. InvalidPrefixes.Keys];

    [Theory]
    [MemberData(nameof(OutOfRangeCases))]
    public void A_negative_or_untimeable_option_throws_ArgumentOutOfRangeException_and_leaves_files_unchanged(string options) =>
        store.Refuses<ArgumentOutOfRangeException>(() => Queue.Open(store.Db, OutOfRangeOptions[options]));

    [Theory]
    [MemberData(nameof(InvalidPrefixCases))]
    public void An_invalid_prefix_throws_ArgumentException_and_leaves_files_unchanged(string prefix) =>
        store.Refuses<ArgumentException>(() => Queue.Open(store.Db, InvalidPrefixes[prefix]));

    [Fact]
    public void A_null_database_options_or_prefix_throws_ArgumentNullException_and_leaves_files_unchanged()
    {
        store.Refuses<ArgumentNullException>(() => Queue.Open(null!, new QueueOptions { Prefix = "q" }));
        store.Refuses<ArgumentNullException>(() => Queue.Open(store.Db, null!));
        store.Refuses<ArgumentNullException>(() => Queue.Open(store.Db, new QueueOptions { Prefix = null! }));
    }

    [Theory]
    [InlineData("q:l", false)]
    [InlineData("q:t", false)]
    [InlineData("q:t", true)]
    public void A_prefix_whose_ledger_or_table_is_open_throws_InvalidOperationException_and_leaves_files_unchanged(string taken, bool takenByTable)
    {
        using IDisposable open = takenByTable
            ? Table.Open(store.Db, new TableOptions { Prefix = taken })
            : Ledger.Open(store.Db, new LedgerOptions { Prefix = taken });

        store.Refuses<InvalidOperationException>(() => Queue.Open(store.Db, new QueueOptions { Prefix = "q" }));
    }

    [Fact]
    public void Open_of_a_queue_open_on_the_Db_throws_InvalidOperationException_and_leaves_files_unchanged()
    {
        using Queue queue = Queue.Open(store.Db, new QueueOptions { Prefix = "q" });

        store.Refuses<InvalidOperationException>(() => Queue.Open(store.Db, new QueueOptions { Prefix = "q" }));
    }

    [Fact]
    public void CreateProducer_and_CreateConsumer_with_null_or_bad_options_throw_and_leave_files_unchanged()
    {
        using Queue queue = Queue.Open(store.Db, new QueueOptions { Prefix = "q" });

        store.Refuses<ArgumentNullException>(() => queue.CreateProducer(null!));
        store.Refuses<ArgumentNullException>(() => queue.CreateConsumer(null!));
        store.Refuses<ArgumentOutOfRangeException>(() => queue.CreateProducer(new ProducerOptions { Batch = -1 }));
        store.Refuses<ArgumentOutOfRangeException>(() => queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 0 }));
        store.Refuses<ArgumentException>(() => queue.CreateConsumer(new ConsumerOptions { Name = "c", Window = 1, Skip = 1 }));
    }

    [Fact]
    public void CreateProducer_and_CreateConsumer_after_Dispose_throw_ObjectDisposedException_and_leave_files_unchanged()
    {
        Queue queue = Queue.Open(store.Db, new QueueOptions { Prefix = "q" });
        queue.Dispose();

        store.Refuses<ObjectDisposedException>(() => queue.CreateProducer(new ProducerOptions()));
        store.Refuses<ObjectDisposedException>(() => queue.CreateConsumer(new ConsumerOptions { Name = "c" }));
    }

    [Fact]
    public void Open_on_a_disposed_Db_throws_ObjectDisposedException_and_leaves_files_unchanged()
    {
        store.DisposeDb();

        store.Refuses<ObjectDisposedException>(() => Queue.Open(store.Db, new QueueOptions { Prefix = "q" }));
    }
}
