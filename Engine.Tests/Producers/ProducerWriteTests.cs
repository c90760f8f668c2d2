using System.Text;
using Quasar.Tests.Support;

namespace Quasar.Tests.Producers;

public sealed class ProducerWriteTests : IDisposable
{
    private readonly TestDb db = new();

    public void Dispose() => db.Dispose();

    // ---- options ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Batch_below_one_is_rejected(int batch)
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Producer(ledger, new ProducerOptions { Batch = batch }));
    }

    [Fact]
    public void Negative_Timeout_is_rejected()
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Producer(ledger, new ProducerOptions { Timeout = TimeSpan.FromMilliseconds(-1) }));
    }

    [Fact]
    public void Negative_Retry_is_rejected()
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Producer(ledger, new ProducerOptions { Retry = -1, Delay = TimeSpan.FromMilliseconds(1) }));
    }

    [Fact]
    public void Negative_Delay_is_rejected()
    {
        using Ledger ledger = db.Ledger();

        Assert.Throws<ArgumentOutOfRangeException>(() => new Producer(ledger, new ProducerOptions { Delay = TimeSpan.FromMilliseconds(-1) }));
    }

    [Fact]
    public void Retry_without_a_Delay_is_rejected_with_ArgumentException()
    {
        using Ledger ledger = db.Ledger();

        // Exactly ArgumentException: the values are each in range, their combination is not.
        Assert.Throws<ArgumentException>(() => new Producer(ledger, new ProducerOptions { Retry = 1 }));
    }

    [Fact]
    public async Task Retry_with_a_Delay_is_accepted()
    {
        using Ledger ledger = db.Ledger();

        await using var producer = new Producer(ledger, new ProducerOptions { Retry = 3, Delay = TimeSpan.FromMilliseconds(1) });
    }

    // ---- Write, TryWrite, WriteAsync ----

    [Fact]
    public async Task Written_entries_end_up_in_the_ledger_in_order()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 4 });
        Entry[] entries = TestEntries.Range(1, 10);

        foreach (Entry entry in entries)
        {
            Assert.True(await Task.Run(() => producer.Write(entry)).Within());
        }

        await producer.FlushAsync().Within();

        TestEntries.AssertMatches(entries, ledger.Read(0, 100));
    }

    [Fact]
    public async Task Acks_run_in_the_order_the_entries_were_written()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 3 });
        var acked = new List<ulong>();

        for (ulong sequence = 1; sequence <= 10; sequence++)
        {
            ulong s = sequence;
            Assert.True(await Task.Run(() => producer.Write(TestEntries.Make(s), _ => { lock (acked) { acked.Add(s); } })).Within());
        }

        await producer.FlushAsync().Within();

        lock (acked)
        {
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), acked);
        }
    }

    [Fact]
    public async Task An_ack_gets_null_once_the_entry_is_in_the_ledger()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        var seen = new TaskCompletionSource<(Exception? Error, IReadOnlyList<Entry> Read)>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(producer.TryWrite(TestEntries.Make(1), error => seen.TrySetResult((error, ledger.Read(1, 1)))));
        (Exception? error, IReadOnlyList<Entry> read) = await seen.Task.Within();

        Assert.Null(error);
        TestEntries.AssertMatches([TestEntries.Make(1)], read);
    }

    [Fact]
    public async Task TryWrite_returns_true_and_the_entry_is_written_when_there_is_room()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());
        var probe = new AckProbe();

        Assert.True(producer.TryWrite(TestEntries.Make(1), probe.Ack));

        Assert.Null(await probe.Outcome);
        Assert.Equal(1, ledger.Length);
    }

    [Fact]
    public async Task WriteAsync_completes_once_the_entry_is_written()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        await producer.WriteAsync(TestEntries.Make(1)).Within();

        TestEntries.AssertMatches([TestEntries.Make(1)], ledger.Read(0, 10));
    }

    [Fact]
    public async Task WriteAsync_faults_with_the_write_error()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Make(5));
        await using var producer = new Producer(ledger, new ProducerOptions());

        await Assert.ThrowsAsync<NotMonotonicException>(() => producer.WriteAsync(TestEntries.Make(3)).Within());
    }

    [Fact]
    public async Task The_entry_object_is_handed_to_the_ledger()
    {
        using Ledger ledger = db.Ledger(cache: 10);
        await using var producer = new Producer(ledger, new ProducerOptions());
        object decoded = new();

        await producer.WriteAsync(new Entry(1, Encoding.ASCII.GetBytes("one"), decoded)).Within();

        Assert.Same(decoded, ledger.Read(1, 1)[0].Object);
    }

    // ---- FlushAsync ----

    [Fact]
    public async Task FlushAsync_with_nothing_queued_completes()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        await producer.FlushAsync().Within();
    }

    [Fact]
    public async Task FlushAsync_completes_once_every_entry_accepted_before_it_is_written()
    {
        using Ledger ledger = db.Ledger();
        // A long Timeout: without the flush the unfinished batch would wait for more entries.
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 10, Timeout = TimeSpan.FromHours(1) });
        AckProbe[] probes = AckProbe.Many(3);
        for (int i = 0; i < probes.Length; i++)
        {
            Assert.True(producer.TryWrite(TestEntries.Make((ulong)i + 1), probes[i].Ack));
        }

        await producer.FlushAsync().Within();

        Assert.All(probes, p => Assert.True(p.IsCalled));
        Assert.Equal(3, ledger.Length);
    }

    [Fact]
    public async Task FlushAsync_completes_after_failed_entries_have_their_error()
    {
        using Ledger ledger = db.Ledger();
        ledger.Write(TestEntries.Make(10));
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 10, Timeout = TimeSpan.FromHours(1) });
        var probe = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(3), probe.Ack));

        await producer.FlushAsync().Within();

        Assert.True(probe.IsCalled);
        Assert.IsType<NotMonotonicException>(await probe.Outcome);
    }

    [Fact]
    public async Task Cancelling_FlushAsync_cancels_only_the_wait_not_the_entries()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        Assert.True(producer.TryWrite(TestEntries.Make(1), blocker.Ack));
        await blocker.Entered;
        var probe = new AckProbe();
        Assert.True(producer.TryWrite(TestEntries.Make(2), probe.Ack));
        using var cancellation = new CancellationTokenSource();

        Task flushing = producer.FlushAsync(cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushing.Within());
        blocker.Release();
        Assert.Null(await probe.Outcome);
        Assert.Equal([1UL, 2UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    // ---- a full queue ----

    [Fact]
    public async Task TryWrite_returns_false_without_blocking_when_the_queue_is_full()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        Assert.True(producer.TryWrite(TestEntries.Make(1), blocker.Ack));
        await blocker.Entered;                                  // the loop is held inside the first ack
        Assert.True(producer.TryWrite(TestEntries.Make(2)));   // fills the queue (capacity Batch = 1)

        bool accepted = await Task.Run(() => producer.TryWrite(TestEntries.Make(3))).Within();

        Assert.False(accepted);
    }

    [Fact]
    public async Task An_entry_refused_by_TryWrite_is_never_written()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        await blocker.HoldWithFullQueue(producer);
        var refused = new AckProbe();
        Assert.False(producer.TryWrite(TestEntries.Make(3), refused.Ack));

        blocker.Release();
        await producer.FlushAsync().Within();

        Assert.Equal([1UL, 2UL], ledger.Read(0, 10).Select(e => e.Sequence));
        Assert.False(refused.IsCalled);
    }

    [Fact]
    public async Task Write_blocks_while_the_queue_is_full_and_proceeds_when_room_appears()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        await blocker.HoldWithFullQueue(producer);
        var probe = new AckProbe();

        Task<bool> blocked = Task.Run(() => producer.Write(TestEntries.Make(3), probe.Ack));
        await Task.Delay(100);
        Assert.False(blocked.IsCompleted);

        blocker.Release();
        Assert.True(await blocked.Within());
        Assert.Null(await probe.Outcome);
        Assert.Equal([1UL, 2UL, 3UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task WriteAsync_waits_for_room_while_the_queue_is_full()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        await blocker.HoldWithFullQueue(producer);

        Task waiting = producer.WriteAsync(TestEntries.Make(3));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        blocker.Release();
        await waiting.Within();
        Assert.Equal([1UL, 2UL, 3UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Cancelling_WriteAsync_while_it_waits_for_room_throws_OperationCanceledException_and_the_entry_is_not_written()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        await blocker.HoldWithFullQueue(producer);
        using var cancellation = new CancellationTokenSource();

        Task waiting = producer.WriteAsync(TestEntries.Make(3), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        blocker.Release();
        await producer.FlushAsync().Within();
        Assert.Equal([1UL, 2UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_cancelled_wait_for_room_does_not_use_up_room_in_the_queue()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        await blocker.HoldWithFullQueue(producer);
        using var cancellation = new CancellationTokenSource();
        Task waiting = producer.WriteAsync(TestEntries.Make(3), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());

        blocker.Release();
        await producer.WriteAsync(TestEntries.Make(4)).Within();
        await producer.WriteAsync(TestEntries.Make(5)).Within();

        Assert.Equal([1UL, 2UL, 4UL, 5UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    [Fact]
    public async Task WriteAsync_with_an_already_cancelled_token_throws_OperationCanceledException_and_writes_nothing()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => producer.WriteAsync(TestEntries.Make(1), new CancellationToken(canceled: true)).Within());

        await producer.FlushAsync().Within();
        Assert.Equal(0, ledger.Length);
    }

    [Fact]
    public async Task Cancelling_WriteAsync_after_the_entry_was_queued_does_not_cancel_the_write()
    {
        using Ledger ledger = db.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions { Batch = 1 });
        using var blocker = new LoopBlocker();
        Assert.True(producer.TryWrite(TestEntries.Make(1), blocker.Ack));
        await blocker.Entered;
        using var cancellation = new CancellationTokenSource();

        Task queued = producer.WriteAsync(TestEntries.Make(2), cancellation.Token); // there is room: queued at once
        await cancellation.CancelAsync();
        blocker.Release();

        await queued.Within();
        Assert.Equal([1UL, 2UL], ledger.Read(0, 10).Select(e => e.Sequence));
    }

    // ---- acks that throw ----

    [Fact]
    public async Task An_ack_that_throws_is_caught_and_logged_and_later_entries_are_written()
    {
        var logger = new TestLogger();
        using var logged = new TestDb(new DbOptions { Logger = logger });
        using Ledger ledger = logged.Ledger();
        await using var producer = new Producer(ledger, new ProducerOptions());

        Assert.True(producer.TryWrite(TestEntries.Make(1), _ => throw new InvalidOperationException("ack boom")));
        await producer.WriteAsync(TestEntries.Make(2)).Within();

        Assert.Equal([1UL, 2UL], ledger.Read(0, 10).Select(e => e.Sequence));
        Assert.Contains(logger.Messages, m => m.EventId.Id == 30 && m.Exception is InvalidOperationException { Message: "ack boom" }); // "a callback threw"
    }
}
