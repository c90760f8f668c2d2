using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;

namespace Quasar;

/// <summary>
/// Batches entries into ledger writes on one background loop. Entries are queued (at most
/// <see cref="ProducerOptions.Batch"/> at a time), collected into a batch of up to that many or
/// until <see cref="ProducerOptions.Timeout"/> passes, written with one <see cref="Ledger.Write"/>,
/// and then acknowledged. The producer does not copy payloads: a payload must stay unchanged
/// until its entry is acknowledged. Acks run on the producer's loop and must not block on it.
/// </summary>
public sealed partial class Producer : IAsyncDisposable, IAttachment
{
    private const int Open = 0;
    private const int Closed = 1;

    private readonly Ledger ledger;
    private readonly ProducerOptions options;
    private readonly ILogger logger;
    private readonly BatchQueue<Item> queue;
    private readonly ITimer? batchTimer;
    private readonly TimeProvider clock;
    private readonly CancellationTokenSource stopping = new();
    private readonly KeyValuePair<string, object?> ledgerTag;
    private readonly Task loop;
    private int state;
    private Exception? closeReason;

    /// <summary>Creates the producer and starts its loop.</summary>
    /// <param name="ledger">The ledger to write to.</param>
    /// <param name="options">The producer's options.</param>
    /// <exception cref="ArgumentOutOfRangeException">Batch is below 1, Timeout, Retry or Delay is negative, or Timeout or Delay is longer than about 49.7 days (the longest timer).</exception>
    /// <exception cref="ArgumentException">Retry is above 0 while Delay is zero.</exception>
    /// <exception cref="ObjectDisposedException">The ledger or its database is disposed.</exception>
    public Producer(Ledger ledger, ProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retry, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Delay, TimeSpan.Zero, nameof(options));
        TimerLimit.ThrowIfBeyond(options.Timeout, nameof(options.Timeout), nameof(options));
        TimerLimit.ThrowIfBeyond(options.Delay, nameof(options.Delay), nameof(options));
        if (options.Retry > 0 && options.Delay == TimeSpan.Zero)
        {
            throw new ArgumentException("Retry above 0 needs a Delay above 0.", nameof(options));
        }

        ledger.ThrowIfDisposed();
        this.ledger = ledger;
        this.options = options;
        logger = ledger.Db.Logger;
        clock = ledger.Db.Clock;
        ledgerTag = QuasarMetrics.LedgerTag(ledger.Options.Prefix);
        // Bounded: a full queue is back-pressure, and its ring buffer allocates nothing per entry.
        queue = new BatchQueue<Item>(options.Batch, Entered);
        batchTimer = options.Timeout > TimeSpan.Zero ? clock.CreateTimer(_ => queue.WakeReader(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) : null;
        ledger.Db.Attach(this);
        loop = Task.Run(RunAsync);
    }

    /// <summary>A queued entry with how to report its outcome, or a flush marker.</summary>
    private readonly record struct Item(Entry Entry, Action<Exception?>? Ack, TaskCompletionSource? Completion, bool IsFlush = false)
    {
        public void Complete(Exception? error, ILogger logger) => Callbacks.Complete(Ack, Completion, error, logger, "producer ack");
    }

    int IAttachment.StopOrder => 0;

    /// <summary>
    /// Queues an entry, blocking while the queue is full. <paramref name="ack"/> gets null once the
    /// entry is written, else the error (<see cref="NotMonotonicException"/>,
    /// <see cref="LimitReachedException"/> after the retries, <see cref="ProducerClosedException"/>, I/O).
    /// </summary>
    /// <param name="entry">The entry; its payload must stay unchanged until the ack.</param>
    /// <param name="ack">Called on the producer's loop with the outcome; must not block.</param>
    /// <returns>False when the producer is closed (the ack is then not called).</returns>
    public bool Write(Entry entry, Action<Exception?>? ack = null) =>
        Volatile.Read(ref state) == Open && Added(queue.Add(new Item(entry, ack, null)));

    /// <summary>Queues an entry if there is room, never blocking; see <see cref="Write"/> for the ack.</summary>
    /// <param name="entry">The entry; its payload must stay unchanged until the ack.</param>
    /// <param name="ack">Called on the producer's loop with the outcome; must not block.</param>
    /// <returns>False when the queue is full or the producer is closed (the ack is then not called).</returns>
    public bool TryWrite(Entry entry, Action<Exception?>? ack = null) =>
        Volatile.Read(ref state) == Open && Added(queue.TryAdd(new Item(entry, ack, null)));

    /// <summary>Queues an entry and completes once it is written (or faults with the error).</summary>
    /// <param name="entry">The entry; its payload must stay unchanged until the task completes.</param>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ProducerClosedException">The producer is closed (the task faults).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting for room.</exception>
    public Task WriteAsync(Entry entry, CancellationToken cancellationToken = default) =>
        WriteAsync(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);

    /// <summary>The path of every <c>WriteAsync</c>: queues the entry with its completion and waits for it.</summary>
    private async Task WriteAsync(Entry entry, TaskCompletionSource completion, CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (!Added(await queue.AddAsync(new Item(entry, null, completion), cancellationToken).ConfigureAwait(false)))
        {
            throw new ProducerClosedException();
        }

        await completion.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Completes once every entry accepted before this call is done (written or failed). The
    /// request queues behind those entries (it never waits for room) and has the batch written
    /// without waiting for its <see cref="ProducerOptions.Timeout"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the entries).</param>
    /// <returns>A task that completes when the entries are done.</returns>
    /// <exception cref="ProducerClosedException">The producer is closed (the task faults).</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Volatile.Read(ref state) != Open || !queue.TryAdd(new Item(default, null, completion, IsFlush: true), urgent: true))
        {
            return Task.FromException(new ProducerClosedException());
        }

        return completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Closes the producer: queued entries that are not yet written fail with <see cref="ProducerClosedException"/>. Idempotent.</summary>
    /// <returns>A task that completes once the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        Close(new ProducerClosedException());
        await loop.ConfigureAwait(false);
        ledger.Db.Detach(this);
    }

    bool IAttachment.Uses(IStore store) => ReferenceEquals(store, ledger);

    void IAttachment.Stop(Exception? reason)
    {
        Close(reason ?? new ProducerClosedException());
        loop.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    ValueTask IAttachment.StopAsync() => DisposeAsync();

    /// <summary>Counts an accepted entry in the queue-depth gauge; passes <paramref name="added"/> through.</summary>
    private bool Added(bool added)
    {
        if (added)
        {
            QuasarMetrics.ProducerQueueDepth.Add(1, ledgerTag);
        }

        return added;
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref state) != Open)
        {
            throw new ProducerClosedException();
        }
    }

    private void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref state, Closed) == Closed)
        {
            return;
        }

        closeReason = reason;
        queue.Close(); // wakes every blocked Write and WriteAsync and the loop
        stopping.Cancel();
    }

    private async Task RunAsync()
    {
        int size = InitialCapacity.For(options.Batch);
        var batch = new List<Item>(size);
        var flushes = new List<Item>();
        var taken = new List<Item>(size);
        var entries = new Entry[size];
        var dropped = new bool[size];
        try
        {
            while (true)
            {
                await queue.WaitAsync(1).ConfigureAwait(false);
                bool flushRequested = Collect(batch, flushes, taken);
                if (!flushRequested && batch.Count > 0 && batch.Count < options.Batch && options.Timeout > TimeSpan.Zero)
                {
                    await CollectUntilTimeoutAsync(batch, flushes, taken).ConfigureAwait(false);
                }

                if (queue.IsClosed)
                {
                    break; // closing: what was collected fails below, unwritten
                }

                if (batch.Count > entries.Length)
                {
                    size = InitialCapacity.Grown(entries.Length, options.Batch);
                    entries = new Entry[Math.Max(size, batch.Count)];
                    dropped = new bool[entries.Length];
                }

                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch, entries, dropped).ConfigureAwait(false);
                }

                foreach (Item flush in flushes)
                {
                    flush.Complete(null, logger);
                }

                batch.Clear();
                flushes.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // closing: fall through to fail what is left
        }

        batchTimer?.Dispose();
        Exception reason = closeReason ?? new ProducerClosedException();
        FailAll(batch, reason);
        FailAll(flushes, reason);
        while (queue.TakeInto(taken, int.MaxValue) > 0)
        {
            FailAll(taken, reason);
        }
    }

    /// <summary>Takes what is queued, up to a full batch; true when a flush was asked for.</summary>
    private bool Collect(List<Item> batch, List<Item> flushes, List<Item> taken)
    {
        bool flushRequested = false;
        queue.TakeInto(taken, options.Batch - batch.Count);
        foreach (Item item in taken)
        {
            if (item.IsFlush)
            {
                flushes.Add(item);
                flushRequested = true;
            }
            else
            {
                batch.Add(item);
            }
        }

        taken.Clear();
        return flushRequested;
    }

    /// <summary>
    /// Adds entries to the batch until it is full, a flush is asked for, the timeout passes, or the
    /// producer closes. The loop sleeps meanwhile: the queue wakes it only when a full batch is
    /// there (or a flush, or the timer), not for every entry.
    /// </summary>
    private async Task CollectUntilTimeoutAsync(List<Item> batch, List<Item> flushes, List<Item> taken)
    {
        long started = clock.GetTimestamp();
        try
        {
            while (batch.Count < options.Batch && !queue.IsClosed)
            {
                // Re-armed before every wait for what is left: a timer that fired early or
                // between the check and the wait must not leave the batch waiting for ever.
                TimeSpan remaining = options.Timeout - clock.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return;
                }

                batchTimer!.Change(remaining, Timeout.InfiniteTimeSpan);
                await queue.WaitAsync(options.Batch - batch.Count).ConfigureAwait(false);
                if (Collect(batch, flushes, taken))
                {
                    return;
                }
            }
        }
        finally
        {
            batchTimer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteBatchAsync(List<Item> batch, Entry[] entries, bool[] dropped)
    {
        for (int attempt = 0; ; attempt++)
        {
            Exception? error = TryWrite(batch, entries, dropped);
            if (error is LimitReachedException && attempt < options.Retry)
            {
                Log.ProducerRetry(logger, ledger.Options.Prefix, error.Message, attempt + 1, options.Retry, options.Delay);
                await Task.Delay(options.Delay, clock, stopping.Token).ConfigureAwait(false);
                continue;
            }

            if (error is ObjectDisposedException)
            {
                Log.ProducerStopped(logger, ledger.Options.Prefix, error.Message);
                Close(error);
            }

            for (int i = 0; i < batch.Count; i++)
            {
                // Entries the filter dropped are in the ledger's past: null, even if the rest failed.
                Finish(batch[i], dropped[i] ? null : error);
            }

            batch.Clear();
            return;
        }
    }

    /// <summary>
    /// Writes the batch minus what <see cref="ProducerOptions.Filter"/> drops (entries at or below
    /// the head, or below an entry kept before them), marking those in <paramref name="dropped"/>;
    /// returns the error, or null.
    /// </summary>
    private Exception? TryWrite(List<Item> batch, Entry[] entries, bool[] dropped)
    {
        Array.Clear(dropped);
        try
        {
            int count = 0;
            ulong floor = options.Filter ? ledger.Head : 0;
            for (int i = 0; i < batch.Count; i++)
            {
                Entry entry = batch[i].Entry;
                if (options.Filter && entry.Sequence <= floor)
                {
                    dropped[i] = true;
                    continue;
                }

                entries[count++] = entry;
                floor = options.Filter ? entry.Sequence : floor;
            }

            ledger.Write(entries.AsSpan(0, count));
            return null;
        }
#pragma warning disable CA1031 // every failure becomes the batch's acks
        catch (Exception error)
#pragma warning restore CA1031
        {
            return error;
        }
        finally
        {
            Array.Clear(entries); // drop references to the caller's payloads
        }
    }

    private void FailAll(List<Item> items, Exception reason)
    {
        foreach (Item item in items)
        {
            Finish(item, reason);
        }

        items.Clear();
    }

    private void Finish(Item item, Exception? error)
    {
        if (!item.IsFlush)
        {
            QuasarMetrics.ProducerQueueDepth.Add(-1, ledgerTag);
        }

        item.Complete(error, logger);
    }
}
