using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Storage;

namespace Quasar;

/// <summary>
/// Batches entries into ledger writes on one background loop. Entries are queued (at most
/// <see cref="ProducerOptions.Batch"/> at a time), collected into a batch of up to that many or
/// until <see cref="ProducerOptions.Timeout"/> passes, written with one <see cref="Ledger.Write"/>,
/// and then acknowledged. The producer does not copy payloads: a payload must stay unchanged
/// until its entry is acknowledged. Acks run on the producer's loop and must not block on it.
/// </summary>
public sealed class Producer : IAsyncDisposable, IAttachment
{
    private const int Open = 0;
    private const int Closed = 1;

    private readonly Ledger ledger;
    private readonly ProducerOptions options;
    private readonly ILogger logger;
    private readonly Channel<Item> queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim room;
    private readonly CancellationTokenSource stopping = new();
    private readonly KeyValuePair<string, object?> ledgerTag;
    private readonly Task loop;
    private int state;
    private Exception? closeReason;

    /// <summary>Creates the producer and starts its loop.</summary>
    /// <param name="ledger">The ledger to write to.</param>
    /// <param name="options">The producer's options.</param>
    /// <exception cref="ArgumentOutOfRangeException">Batch is below 1, or Timeout, Retry or Delay is negative.</exception>
    /// <exception cref="ArgumentException">Retry is above 0 while Delay is zero.</exception>
    /// <exception cref="ObjectDisposedException">The ledger's database is disposed.</exception>
    public Producer(Ledger ledger, ProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retry, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Delay, TimeSpan.Zero, nameof(options));
        if (options.Retry > 0 && options.Delay == TimeSpan.Zero)
        {
            throw new ArgumentException("Retry above 0 needs a Delay above 0.", nameof(options));
        }

        this.ledger = ledger;
        this.options = options;
        logger = ledger.Db.Logger;
        ledgerTag = QuasarMetrics.LedgerTag(ledger.Options.Prefix);
        room = new SemaphoreSlim(options.Batch);
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
    public bool Write(Entry entry, Action<Exception?>? ack = null)
    {
        if (Volatile.Read(ref state) != Open)
        {
            return false;
        }

        room.Wait();
        return Enqueue(new Item(entry, ack, null));
    }

    /// <summary>Queues an entry if there is room, never blocking; see <see cref="Write"/> for the ack.</summary>
    /// <param name="entry">The entry; its payload must stay unchanged until the ack.</param>
    /// <param name="ack">Called on the producer's loop with the outcome; must not block.</param>
    /// <returns>False when the queue is full or the producer is closed (the ack is then not called).</returns>
    public bool TryWrite(Entry entry, Action<Exception?>? ack = null)
    {
        if (Volatile.Read(ref state) != Open || !room.Wait(0))
        {
            return false;
        }

        return Enqueue(new Item(entry, ack, null));
    }

    /// <summary>Queues an entry and completes once it is written (or faults with the error).</summary>
    /// <param name="entry">The entry; its payload must stay unchanged until the task completes.</param>
    /// <param name="cancellationToken">Cancels only the wait for room in the queue.</param>
    /// <returns>A task that completes when the entry is written.</returns>
    /// <exception cref="ProducerClosedException">The producer is closed (the task faults).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting for room.</exception>
    public async Task WriteAsync(Entry entry, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref state) != Open)
        {
            throw new ProducerClosedException();
        }

        await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Enqueue(new Item(entry, null, completion)))
        {
            throw new ProducerClosedException();
        }

        await completion.Task.ConfigureAwait(false);
    }

    /// <summary>Completes once every entry accepted before this call is done (written or failed).</summary>
    /// <param name="cancellationToken">Cancels the wait (not the entries).</param>
    /// <returns>A task that completes when the entries are done.</returns>
    /// <exception cref="ProducerClosedException">The producer is closed (the task faults).</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Volatile.Read(ref state) != Open || !queue.Writer.TryWrite(new Item(default, null, completion, IsFlush: true)))
        {
            return Task.FromException(new ProducerClosedException());
        }

        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
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

    private bool Enqueue(Item item)
    {
        if (Volatile.Read(ref state) != Open || !queue.Writer.TryWrite(item))
        {
            room.Release();
            return false;
        }

        QuasarMetrics.ProducerQueueDepth.Add(1, ledgerTag);
        return true;
    }

    private void Close(Exception reason)
    {
        if (Interlocked.Exchange(ref state, Closed) == Closed)
        {
            return;
        }

        closeReason = reason;
        queue.Writer.TryComplete();
        stopping.Cancel();
        room.Release(int.MaxValue / 2); // wakes every blocked Write and WriteAsync; they see the closed state
    }

    private async Task RunAsync()
    {
        var batch = new List<Item>(options.Batch);
        var flushes = new List<Item>();
        var entries = new Entry[options.Batch];
        var dropped = new bool[options.Batch];
        ChannelReader<Item> reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false))
            {
                bool flushRequested = Collect(reader, batch, flushes);
                if (!flushRequested && batch.Count > 0 && batch.Count < options.Batch && options.Timeout > TimeSpan.Zero
                    && await CollectUntilTimeoutAsync(reader, batch, flushes).ConfigureAwait(false))
                {
                    break; // closed while the batch waited for more: it fails below, unwritten
                }

                if (batch.Count > 0)
                {
                    stopping.Token.ThrowIfCancellationRequested(); // closed meanwhile: the batch fails below, unwritten
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

        Exception reason = closeReason ?? new ProducerClosedException();
        FailAll(batch, reason);
        FailAll(flushes, reason);
        while (reader.TryRead(out Item item))
        {
            Finish(item, reason);
        }
    }

    /// <summary>Takes what is immediately available, up to a full batch; true when a flush was asked for.</summary>
    private bool Collect(ChannelReader<Item> reader, List<Item> batch, List<Item> flushes)
    {
        bool flushRequested = false;
        int taken = 0;
        while (batch.Count < options.Batch && reader.TryRead(out Item item))
        {
            if (item.IsFlush)
            {
                flushes.Add(item);
                flushRequested = true;
            }
            else
            {
                batch.Add(item);
                taken++;
            }
        }

        if (taken > 0)
        {
            room.Release(taken); // one release for all: each takes the semaphore's lock
        }

        return flushRequested;
    }

    /// <summary>
    /// Adds entries to the batch until it is full, a flush is asked for or the timeout passes;
    /// true when the queue completed meanwhile (the producer is closing).
    /// </summary>
    private async Task<bool> CollectUntilTimeoutAsync(ChannelReader<Item> reader, List<Item> batch, List<Item> flushes)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        timeout.CancelAfter(options.Timeout);
        try
        {
            while (batch.Count < options.Batch)
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    return true; // only Close completes the queue, after publishing its reason
                }

                if (Collect(reader, batch, flushes))
                {
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // the timeout passed: write what we have
        }

        return false;
    }

    private async Task WriteBatchAsync(List<Item> batch, Entry[] entries, bool[] dropped)
    {
        for (int attempt = 0; ; attempt++)
        {
            Exception? error = TryWrite(batch, entries, dropped);
            if (error is LimitReachedException && attempt < options.Retry)
            {
                Log.ProducerRetry(logger, ledger.Options.Prefix, error.Message, attempt + 1, options.Retry, options.Delay);
                await Task.Delay(options.Delay, stopping.Token).ConfigureAwait(false);
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
