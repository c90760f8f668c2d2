using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

public sealed class ProducerRetryTests : IDisposable
{
    /// <summary>The event id of the producer's "write failed; retry n of m" warning.</summary>
    private const int RetryEvent = 31;

    private readonly TestLogger logger = new();
    private readonly TestDb db;

    public ProducerRetryTests() => db = new TestDb(new DbOptions { Logger = logger });

    public void Dispose() => db.Dispose();

    /// <summary>A ledger with the given limit, already full (entries 1..limit).</summary>
    private Ledger FullLedger(int limit)
    {
        Ledger ledger = db.Ledger(limit: limit);
        ledger.Write(TestEntries.Range(1, limit));
        return ledger;
    }

    [Fact]
    public async Task Without_Retry_a_write_beyond_the_ledger_Limit_fails_with_LimitReachedException_at_once()
    {
        using Ledger ledger = FullLedger(2);
        await using var producer = new Producer(ledger, new ProducerOptions());
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(TestEntries.Make(3), probe.Ack));

        Assert.IsType<LimitReachedException>(await probe.Outcome);
        Assert.DoesNotContain(logger.Messages, m => m.EventId.Id == RetryEvent);
    }

    [Fact]
    public async Task A_write_beyond_the_Limit_is_retried_and_succeeds_once_room_appears()
    {
        using Ledger ledger = FullLedger(2);
        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 1000, Delay = TimeSpan.FromMilliseconds(20) });
        var probe = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(3), probe.Ack));
        await Bounded.Until(() => logger.Messages.Any(m => m.EventId.Id == RetryEvent), "the producer retries");
        Assert.False(probe.IsCalled);

        ledger.Delete(1);

        Assert.Null(await probe.Outcome);
        Assert.Equal([2UL, 3UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task After_Retry_retries_the_acks_get_LimitReachedException()
    {
        using Ledger ledger = FullLedger(2);
        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 3, Delay = TimeSpan.FromMilliseconds(10) });
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(TestEntries.Make(3), probe.Ack));

        Assert.IsType<LimitReachedException>(await probe.Outcome);
        Assert.Equal(3, logger.Messages.Count(m => m.EventId.Id == RetryEvent)); // logged before each retry, so all three precede the ack
        Assert.Equal(2, ledger.Length);
    }

    [Fact]
    public async Task A_batch_that_runs_out_of_retries_fails_every_entry_in_it()
    {
        using Ledger ledger = FullLedger(2);
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 2, Timeout = TimeSpan.FromHours(1), Retry = 2, Delay = TimeSpan.FromMilliseconds(10) });
        AckProbe[] probes = AckProbe.Many(2);

        Assert.True(producer.TryWrite(TestEntries.Make(3), probes[0].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(4), probes[1].Ack));

        Assert.IsType<LimitReachedException>(await probes[0].Outcome);
        Assert.IsType<LimitReachedException>(await probes[1].Outcome);
    }

    [Fact]
    public async Task Entries_queued_behind_a_retrying_batch_are_written_after_it_in_order()
    {
        using Ledger ledger = FullLedger(3);
        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 1000, Delay = TimeSpan.FromMilliseconds(20) });
        var acked = new List<ulong>();
        void Track(ulong sequence, Exception? error)
        {
            Assert.Null(error);
            lock (acked)
            {
                acked.Add(sequence);
            }
        }

        Assert.True(producer.TryWrite(TestEntries.Make(4), e => Track(4, e)));
        await Bounded.Until(() => logger.Messages.Any(m => m.EventId.Id == RetryEvent), "the producer retries");
        Assert.True(producer.TryWrite(TestEntries.Make(5), e => Track(5, e)));

        ledger.Delete(2);
        await producer.FlushAsync().Within();

        lock (acked)
        {
            Assert.Equal([4UL, 5UL], acked);
        }

        Assert.Equal([3UL, 4UL, 5UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Errors_other_than_LimitReachedException_are_not_retried()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Make(5));
        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 1000, Delay = TimeSpan.FromHours(1) });
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(TestEntries.Make(3), probe.Ack));

        Assert.IsType<NotMonotonicException>(await probe.Outcome);
        Assert.DoesNotContain(logger.Messages, m => m.EventId.Id == RetryEvent);
    }
}
