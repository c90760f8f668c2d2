using Microsoft.Extensions.Time.Testing;
using Quasar.Tests.Support;
using static Quasar.Tests.Support.LedgerProbe;

namespace Quasar.Tests.Clock;

/// <summary>
/// DbOptions.TimeProvider (issue 14): every interval, timeout and deadline runs on the Db's clock.
/// Each one here is an hour long, so only the fake clock can bring it about within the test.
/// </summary>
public sealed class TimeProviderTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ClockedStores stores = new();
    private readonly FakeTimeProvider clock;
    private readonly TestLogger log;
    private readonly Db db;
    private readonly Ledger ledger;
    private readonly Table table;

    public TimeProviderTests()
    {
        (clock, log, db, ledger, table) = (stores.Clock, stores.Log, stores.Db, stores.Ledger, stores.Table);
    }

    public void Dispose() => stores.Dispose();

    [Fact]
    public void The_default_TimeProvider_is_the_system_clock()
    {
        Assert.Same(TimeProvider.System, new DbOptions().TimeProvider);
    }

    [Fact]
    public void Open_with_a_null_TimeProvider_throws_ArgumentNullException()
    {
        using var other = new TempDirectory();

        Assert.Throws<ArgumentNullException>(() => Db.Open(other.Path, new DbOptions { TimeProvider = null! }));
    }

    [Fact]
    public async Task The_cleaner_passes_when_the_clock_reaches_its_Interval()
    {
        ledger.Write(EntriesOf(1, 2, 3));
        using var cleaner = new Cleaner(ledger, new CleanerOptions { Interval = Hour });

        await clock.AdvanceUntil(Hour, () => ledger.Length == 0, "the cleaner deleted every entry");

        Assert.Equal(3UL, ledger.Tail);
    }

    [Fact]
    public async Task A_producer_writes_an_unfinished_batch_when_the_clock_passes_its_Timeout()
    {
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 10, Timeout = Hour });
        Task written = producer.WriteAsync(TestEntries.Make(1));

        await clock.AdvanceUntil(Hour, () => written.IsCompleted, "the batch was written");

        await written;
        Assert.Equal([1UL], Live(ledger));
    }

    [Fact]
    public async Task A_producer_retries_after_its_Delay_on_the_clock()
    {
        using var limited = Ledger.Open(db, new LedgerOptions { Prefix = "limited", Limit = 1 });
        limited.Write(EntriesOf(1));
        await using var producer = new Producer(limited, new ProducerOptions { Retry = 1, Delay = Hour });
        Task written = producer.WriteAsync(TestEntries.Make(2));
        await Bounded.Until(() => log.Messages.Any(m => m.EventId.Id == 31), "the producer logged its retry (event 31)");
        limited.Delete(1);

        await clock.AdvanceUntil(Hour, () => written.IsCompleted, "the retry wrote the entry");

        await written;
        Assert.Equal([2UL], Live(limited));
    }

    [Fact]
    public async Task A_consumer_persists_held_marks_when_the_clock_passes_its_Timeout()
    {
        ledger.Write(EntriesOf(1));
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1, Window = 4, Skip = 2, Timeout = Hour });
        Entry entry = await consumer.Entries.ReadAsync().AsTask().Within();
        Task held = consumer.MarkAsync(entry.Sequence);

        await clock.AdvanceUntil(Hour, () => held.IsCompleted, "the held mark was persisted");

        await held;
        Assert.Equal([1UL], table.Get("c"));
    }

    [Fact]
    public async Task A_consumer_dies_when_the_clock_passes_its_Deadline_with_the_window_full()
    {
        ledger.Write(EntriesOf(1, 2));
        await using var consumer = new Consumer(ledger, table, new ConsumerOptions { Name = "c", Start = 1, Window = 1, Deadline = Hour });
        await consumer.Entries.ReadAsync().AsTask().Within();

        await clock.AdvanceUntil(Hour, () => consumer.Completion.IsCompleted, "the consumer died");

        await Assert.ThrowsAsync<ConsumerDeadlockException>(() => consumer.Completion);
    }
}
