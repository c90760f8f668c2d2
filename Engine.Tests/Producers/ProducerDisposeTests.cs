using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

public sealed class ProducerDisposeTests : IDisposable
{
    /// <summary>The event id of the producer's "write failed; retry n of m" warning.</summary>
    private const int ProducerRetryEvent = 31;

    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    /// <summary>A producer whose unfinished batches wait (practically) forever: queued entries stay unwritten.</summary>
    private static Producer Holding(Ledger ledger) => new(ledger, new ProducerOptions { Batch = 10, Timeout = TimeSpan.FromHours(1) });

    [Fact]
    public async Task DisposeAsync_is_idempotent()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());

        await producer.DisposeAsync().Within();
        await producer.DisposeAsync().Within();
    }

    [Fact]
    public async Task DisposeAsync_fails_unwritten_entries_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        Producer producer = Holding(ledger);
        AckProbe[] probes = AckProbe.Many(3);
        for (int i = 0; i < probes.Length; i++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make((ulong)i + 1), probes[i].Ack));
        }

        await producer.DisposeAsync().Within();

        foreach (AckProbe probe in probes)
        {
            Assert.IsType<ProducerClosedException>(await probe.Outcome);
        }

        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task DisposeAsync_never_writes_an_unfinished_batch_that_waits_for_more_entries()
    {
        // Closing must not look like "no more input" to a batch waiting out its Timeout: repeated,
        // because that mistake loses or wins a race with the close.
        for (int round = 0; round < 50; round++)
        {
            using Ledger ledger = db.Ledger($"round-{round}");
            Producer producer = Holding(ledger);
            var probe = new AckProbe();
            Assert.True(producer.TryWrite(TestEntries.Make(1), probe.Ack));
            await Task.Delay(10); // let the loop take the entry and wait for more

            await producer.DisposeAsync().Within();

            Assert.IsType<ProducerClosedException>(await probe.Outcome);
            Assert.Equal(0, ledger.Length);
        }
    }

    [Fact]
    public async Task DisposeAsync_faults_pending_WriteAsync_tasks_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        Producer producer = Holding(ledger);
        Task pending = producer.WriteAsync(TestEntries.Make(1));

        await producer.DisposeAsync().Within();

        await Assert.ThrowsAsync<ProducerClosedException>(() => pending.Within());
    }

    [Fact]
    public async Task Entries_written_before_DisposeAsync_stay_written()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.WriteAsync(TestEntries.Make(1)).Within();

        await producer.DisposeAsync().Within();

        Assert.Equal(1, ledger.Length);
    }

    [Fact]
    public async Task DisposeAsync_fails_a_batch_that_is_waiting_to_retry_with_ProducerClosedException()
    {
        var logger = new TestLogger();
        using var logged = new TestDb(new DbOptions { Logger = logger });
        using Ledger ledger = logged.Ledger(limit: 1);
        ledger.Write(TestEntries.Make(1));
        var producer = new Producer(ledger, new ProducerOptions { Retry = 1000, Delay = TimeSpan.FromHours(1) });
        var probe = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(2), probe.Ack));
        await Bounded.Until(() => logger.Messages.Any(m => m.EventId.Id == ProducerRetryEvent), "the producer waits to retry");

        await producer.DisposeAsync().Within();

        Assert.IsType<ProducerClosedException>(await probe.Outcome);
    }

    [Fact]
    public async Task After_DisposeAsync_Write_returns_false_and_never_calls_the_ack()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();
        var probe = new AckProbe();

        Assert.False(await Task.Run(() => producer.Write(TestEntries.Make(1), probe.Ack)).Within());

        await Task.Delay(50);
        Assert.False(probe.IsCalled);
        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task After_DisposeAsync_TryWrite_returns_false()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();

        Assert.False(producer.TryWrite(TestEntries.Make(1)));
    }

    [Fact]
    public async Task After_DisposeAsync_WriteAsync_faults_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();

        await Assert.ThrowsAsync<ProducerClosedException>(() => producer.WriteAsync(TestEntries.Make(1)).Within());
    }

    [Fact]
    public async Task After_DisposeAsync_FlushAsync_faults_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        var producer = new Producer(ledger, new ProducerOptions());
        await producer.DisposeAsync().Within();

        await Assert.ThrowsAsync<ProducerClosedException>(() => producer.FlushAsync().Within());
    }

    [Fact]
    public async Task DisposeAsync_wakes_a_Write_blocked_on_a_full_queue_which_returns_false()
    {
        using Ledger ledger = db.Ledger();
        using var blocker = new LoopBlocker();
        var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        await blocker.HoldWithFullQueue(producer);
        var probe = new AckProbe();
        Task<bool> blocked = Task.Run(() => producer.Write(TestEntries.Make(3), probe.Ack));
        await Task.Delay(50);

        Task disposing = producer.DisposeAsync().AsTask(); // completes only once the loop leaves the blocked ack

        Assert.False(await blocked.Within());
        blocker.Release();
        await disposing.Within();
        Assert.False(probe.IsCalled);
    }

    [Fact]
    public async Task DisposeAsync_faults_a_WriteAsync_waiting_for_room_with_ProducerClosedException()
    {
        using Ledger ledger = db.Ledger();
        using var blocker = new LoopBlocker();
        var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        await blocker.HoldWithFullQueue(producer);
        Task waiting = producer.WriteAsync(TestEntries.Make(3));

        Task disposing = producer.DisposeAsync().AsTask();

        await Assert.ThrowsAsync<ProducerClosedException>(() => waiting.Within());
        blocker.Release();
        await disposing.Within();
    }

    [Fact]
    public async Task Db_Dispose_stops_a_running_producer_and_completes_its_pending_acks()
    {
        using Ledger ledger = db.Ledger();
        Producer producer = Holding(ledger);
        AckProbe[] probes = AckProbe.Many(2);
        Assert.True(producer.TryWrite(TestEntries.Make(1), probes[0].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(2), probes[1].Ack));

        await Task.Run(db.Db.Dispose).Within();

        Assert.IsType<ProducerClosedException>(await probes[0].Outcome);
        Assert.IsType<ProducerClosedException>(await probes[1].Outcome);
        await producer.DisposeAsync().Within(); // still idempotent after the database stopped it
    }

    [Fact]
    public async Task After_Db_Dispose_Write_returns_false()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        await producer.WriteAsync(TestEntries.Make(1)).Within();

        await Task.Run(db.Db.Dispose).Within();

        Assert.False(await Task.Run(() => producer.Write(TestEntries.Make(2))).Within());
    }

    [Fact]
    public async Task Disposing_the_ledger_fails_pending_entries_with_ObjectDisposedException()
    {
        Ledger ledger = db.Ledger();
        await using Producer producer = Holding(ledger);
        AckProbe[] probes = AckProbe.Many(2);
        Assert.True(producer.TryWrite(TestEntries.Make(1), probes[0].Ack));
        Assert.True(producer.TryWrite(TestEntries.Make(2), probes[1].Ack));

        await Task.Run(ledger.Dispose).Within();

        Assert.IsType<ObjectDisposedException>(await probes[0].Outcome);
        Assert.IsType<ObjectDisposedException>(await probes[1].Outcome);
    }

    [Fact]
    public async Task Disposing_the_ledger_fails_a_batch_waiting_to_retry_with_ObjectDisposedException()
    {
        var logger = new TestLogger();
        using var logged = new TestDb(new DbOptions { Logger = logger });
        Ledger ledger = logged.Ledger(limit: 1);
        ledger.Write(TestEntries.Make(1));
        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 1000, Delay = TimeSpan.FromHours(1) });
        var probe = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(2), probe.Ack));
        await Bounded.Until(() => logger.Messages.Any(m => m.EventId.Id == ProducerRetryEvent), "the producer waits to retry");

        await Task.Run(ledger.Dispose).Within();

        Assert.IsType<ObjectDisposedException>(await probe.Outcome);
    }

    [Fact]
    public async Task After_the_ledger_is_disposed_Write_returns_false()
    {
        Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        await Task.Run(ledger.Dispose).Within();

        Assert.False(await Task.Run(() => producer.Write(TestEntries.Make(1))).Within());
    }
}
