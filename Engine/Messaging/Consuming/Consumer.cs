using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;

namespace Quasar;

/// <summary>
/// Delivers a ledger's entries in sequence order through <see cref="Entries"/> and stores the
/// consumer's progress (its marks, compiled with <see cref="Sequence.Compile"/>) in a table under
/// its name, so that after a restart it resumes after its first stored position and skips the
/// positions stored beyond it: at-least-once, never a gap. Two loops run per consumer: a reader
/// that sleeps until the ledger notifies a write (no polling), and a marker that applies marks in
/// the order they were queued.
/// </summary>
public sealed class Consumer : IAsyncDisposable, IAttachment
{
    private const int Running = 0;
    private const int Closing = 1;
    private const int Dead = 2;

    private readonly Ledger ledger;
    private readonly Table? table;
    private readonly ConsumerOptions options;
    private readonly string? name;
    private readonly ILogger logger;
    private readonly Channel<Entry> entries;
    private readonly Channel<ulong> notifications = Channel.CreateBounded<ulong>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> markArrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<MarkRequest> marks = Channel.CreateUnbounded<MarkRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object sync = new();
    private readonly MarkWindow? window;
    private readonly List<MarkRequest> held = [];
    private readonly Task run;

    /// <summary>Fires <see cref="ConsumerOptions.Timeout"/> after the first held mark; one timer, re-armed, never one per wait.</summary>
    private readonly Timer? persistTimer;
    private ulong next;
    private ulong persistedFirst;
    private int heldCount;
    private MarkOutcome[] outcomes = new MarkOutcome[16];
    private bool readerWaitingForRoom;
    private long firstHeldAt;
    private long lastMarkAt;
    private int state;
    private Exception? deathError;

    /// <summary>
    /// Creates the consumer and starts delivering. A named consumer with nothing stored persists
    /// <c>Start - 1</c> (0 when Start is 0) before this returns, so a cleaner cannot delete from under it.
    /// </summary>
    /// <param name="ledger">The ledger to consume.</param>
    /// <param name="table">Where positions are stored; may be null only for a temporary consumer (no name).</param>
    /// <param name="options">The consumer's options.</param>
    /// <exception cref="ArgumentOutOfRangeException">Batch or Window below 1, or a negative Skip, Timeout or Deadline.</exception>
    /// <exception cref="ArgumentException">Skip is not below Window.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null for a named consumer.</exception>
    public Consumer(Ledger ledger, Table? table, ConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Deadline, TimeSpan.Zero, nameof(options));
        if (options.Skip >= options.Window)
        {
            throw new ArgumentException($"Skip ({options.Skip}) must be below Window ({options.Window}).", nameof(options));
        }

        name = string.IsNullOrEmpty(options.Name) ? null : options.Name;
        if (name is not null)
        {
            ArgumentNullException.ThrowIfNull(table, nameof(table));
        }

        this.ledger = ledger;
        this.table = table;
        this.options = options;
        logger = ledger.Db.Logger;
        entries = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Batch) { SingleWriter = true });
        if (name is not null)
        {
            window = Restore(table!, name, options);
            persistedFirst = window.Position;
            if (options.Timeout > TimeSpan.Zero)
            {
                persistTimer = new Timer(_ => marks.Writer.TryWrite(MarkRequest.TimerTick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            next = window.Position == ulong.MaxValue ? ulong.MaxValue : window.Position + 1;
            ConsumerLag.Track(this);
        }
        else
        {
            next = options.Start;
        }

        ledger.Subscribe(notifications.Writer);
        ledger.Db.Attach(this);
        run = Task.Run(RunAsync);
    }

    /// <summary>
    /// The delivered entries, in sequence order (at most <see cref="ConsumerOptions.Batch"/> wait
    /// here). Completes when the consumer is disposed, or with the error it dies of
    /// (<see cref="ConsumerDeadlockException"/>, <see cref="ObjectDisposedException"/>, I/O, ...).
    /// </summary>
    public ChannelReader<Entry> Entries => entries.Reader;

    /// <summary>Completes when the consumer is disposed; faults with the error when it dies.</summary>
    public Task Completion => completion.Task;

    /// <summary>The consumer's name (null when temporary).</summary>
    internal string? Name => name;

    /// <summary>The ledger it consumes.</summary>
    internal Ledger Ledger => ledger;

    /// <summary>The first position last written to the table.</summary>
    internal ulong PersistedFirst => Volatile.Read(ref persistedFirst);

    int IAttachment.StopOrder => 1;

    /// <summary>
    /// Queues a mark of <paramref name="sequence"/> (with <paramref name="cumulative"/>, of every
    /// delivered entry up to it). <paramref name="ack"/> gets null once the mark is persisted (later
    /// when <see cref="ConsumerOptions.Skip"/> holds it), <see cref="InvalidSequenceException"/>
    /// for a sequence this consumer has not delivered, or <see cref="ConsumerClosedException"/> if
    /// the consumer closes first. A mark at or below the persisted first position succeeds at once.
    /// A temporary consumer tracks no marks: every mark succeeds at once.
    /// </summary>
    /// <param name="sequence">The delivered sequence to mark.</param>
    /// <param name="cumulative">Also mark every delivered entry below it.</param>
    /// <param name="ack">Called on the consumer's loop with the outcome; must not block.</param>
    /// <returns>False when the consumer is closed (the ack is then not called).</returns>
    public bool Mark(ulong sequence, bool cumulative = false, Action<Exception?>? ack = null)
    {
        if (Volatile.Read(ref state) != Running)
        {
            return false;
        }

        if (window is null)
        {
            Callbacks.Invoke(ack, null, logger, "consumer mark ack");
            return true;
        }

        return marks.Writer.TryWrite(new MarkRequest(sequence, cumulative, ack, null));
    }

    /// <summary>
    /// <see cref="Mark"/> as a task. With <see cref="ConsumerOptions.Skip"/> above 0 and no
    /// <see cref="ConsumerOptions.Timeout"/>, a held mark completes only when a later mark (or the
    /// dispose) persists it, so awaiting each <c>MarkAsync</c> in turn waits forever.
    /// </summary>
    /// <param name="sequence">The delivered sequence to mark.</param>
    /// <param name="cumulative">Also mark every delivered entry below it.</param>
    /// <returns>A task that completes once the mark is persisted.</returns>
    /// <exception cref="ConsumerClosedException">The consumer is closed (the task faults).</exception>
    /// <exception cref="InvalidSequenceException">The sequence was not delivered (the task faults).</exception>
    public Task MarkAsync(ulong sequence, bool cumulative = false)
    {
        if (Volatile.Read(ref state) != Running)
        {
            return Task.FromException(new ConsumerClosedException());
        }

        if (window is null)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return marks.Writer.TryWrite(new MarkRequest(sequence, cumulative, null, done))
            ? done.Task
            : Task.FromException(new ConsumerClosedException());
    }

    /// <summary>Persists held marks, then closes: <see cref="Entries"/> completes. Idempotent; never throws.</summary>
    /// <returns>A task that completes once both loops have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref state, Closing, Running) == Running)
        {
            Shutdown();
        }

        await run.ConfigureAwait(false);
        ledger.Db.Detach(this);
    }

    bool IAttachment.Uses(IStore store) => ReferenceEquals(store, ledger) || ReferenceEquals(store, table);

    void IAttachment.Stop(Exception? reason)
    {
        if (reason is null)
        {
            if (Interlocked.CompareExchange(ref state, Closing, Running) == Running)
            {
                Shutdown();
            }
        }
        else
        {
            Die(reason);
        }

        run.GetAwaiter().GetResult();
    }

    private static MarkWindow Restore(Table table, string name, ConsumerOptions options)
    {
        ulong[] stored = table.Get(name);
        if (stored.Length == 0)
        {
            stored = [options.Start > 0 ? options.Start - 1 : 0];
            table.Set(name, stored);
        }

        // Positions stored beyond the first are done: skipped when the reader reaches them. Those
        // that directly continue the first position extend it (P covers them), so they take no
        // room in the window.
        ulong first = stored[0];
        ulong[] beyond = [.. stored.Skip(1).Where(p => p > stored[0]).Distinct().Order()];
        int folded = 0;
        while (folded < beyond.Length && beyond[folded] == first + 1)
        {
            first = beyond[folded++];
        }

        // A window smaller than the stored list (Window lowered since) could never deliver again:
        // keep the lowest positions that leave room for one delivery; the rest are delivered again
        // (at-least-once allows that; a gap would not be).
        var window = new MarkWindow(first, options.Window);
        foreach (ulong position in beyond.AsSpan(folded, Math.Min(beyond.Length - folded, options.Window - 1)))
        {
            window.Add(position, isMarked: true);
        }

        return window;
    }

    private async Task RunAsync()
    {
        Task reading = ReadLoopAsync();
        Task marking = MarkLoopAsync();
        await Task.WhenAll(reading, marking).ConfigureAwait(false);
        try
        {
            ledger.Unsubscribe(notifications.Writer);
        }
        catch (ObjectDisposedException)
        {
            // the ledger closed first; nothing to unsubscribe from
        }

        ConsumerLag.Untrack(this);
        Exception? error = deathError;
        entries.Writer.TryComplete(error);
        if (error is null)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(error);
        }
    }

    private void Shutdown()
    {
        stopping.Cancel();
        marks.Writer.TryComplete();
    }

    private void Die(Exception error)
    {
        if (Interlocked.CompareExchange(ref state, Dead, Running) != Running)
        {
            return;
        }

        deathError = error;
        Callbacks.Invoke(options.Errors, error, logger, "consumer errors");
        Shutdown();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                stopping.Token.ThrowIfCancellationRequested();
                int room = Room();
                if (room <= 0)
                {
                    await WaitForRoomAsync().ConfigureAwait(false);
                    continue;
                }

                while (notifications.Reader.TryRead(out _))
                {
                    // a read follows, so older notifications say nothing new
                }

                SkipDeletedEntries();
                IReadOnlyList<Entry> batch = ledger.Read(next, Math.Min(options.Batch, room));
                if (batch.Count == 0)
                {
                    await notifications.Reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false);
                    continue;
                }

                ulong last = batch[^1].Sequence;
                next = last == ulong.MaxValue ? ulong.MaxValue : last + 1;
                IReadOnlyList<Entry> deliverable = Admit(batch);
                foreach (Entry entry in deliverable)
                {
                    if (!entries.Writer.TryWrite(entry))
                    {
                        await entries.Writer.WriteAsync(entry, stopping.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // closing
        }
#pragma warning disable CA1031 // any failure kills the consumer with that error
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }
    }

    /// <summary>How many more entries may be delivered now.</summary>
    private int Room()
    {
        if (window is null)
        {
            return options.Batch;
        }

        lock (sync)
        {
            return options.Window - window.Count;
        }
    }

    /// <summary>
    /// Adds the entries about to be delivered to the window (under one lock for the batch) and
    /// returns them, minus those restored as already done: still in the window, or absorbed into
    /// P by later marks.
    /// </summary>
    private IReadOnlyList<Entry> Admit(IReadOnlyList<Entry> batch)
    {
        if (window is null)
        {
            return batch;
        }

        List<Entry>? kept = null;
        lock (sync)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                ulong sequence = batch[i].Sequence;
                if (sequence <= window.Position || window.Contains(sequence))
                {
                    kept ??= [.. batch.Take(i)];
                    continue;
                }

                window.Add(sequence, isMarked: false);
                kept?.Add(batch[i]);
            }
        }

        return kept ?? batch;
    }

    /// <summary>Entries below the ledger's tail are gone (Threshold cleaning): continue at the oldest one.</summary>
    private void SkipDeletedEntries()
    {
        ulong tail = ledger.Tail;
        if (next > tail)
        {
            return;
        }

        if (window is not null)
        {
            Log.ConsumerSkipped(logger, name!, ledger.Options.Prefix, next, tail);
            lock (sync)
            {
                window.SkipTo(tail);
            }
        }

        next = tail == ulong.MaxValue ? ulong.MaxValue : tail + 1;
    }

    /// <summary>Sleeps until a mark arrives; dies when none arrives for the deadline while the window stays full.</summary>
    private async Task WaitForRoomAsync()
    {
        long fullSince = Stopwatch.GetTimestamp();
        Volatile.Write(ref readerWaitingForRoom, true);
        try
        {
            await WaitUntilRoomAsync(fullSince).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref readerWaitingForRoom, false);
        }
    }

    private async Task WaitUntilRoomAsync(long fullSince)
    {
        // Room is re-checked after the flag is set, so a mark applied in between is not missed.
        while (Room() <= 0)
        {
            if (options.Deadline <= TimeSpan.Zero)
            {
                await markArrived.Reader.WaitToReadAsync(stopping.Token).ConfigureAwait(false);
            }
            else
            {
                long since = Math.Max(fullSince, Volatile.Read(ref lastMarkAt));
                TimeSpan remaining = options.Deadline - Stopwatch.GetElapsedTime(since);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new ConsumerDeadlockException($"Consumer '{name}' on ledger '{ledger.Options.Prefix}': the window of {options.Window} stayed full with no mark for {options.Deadline}.");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                timeout.CancelAfter(remaining);
                try
                {
                    await markArrived.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    continue; // re-check the deadline
                }
            }

            markArrived.Reader.TryRead(out _);
        }
    }

    private async Task MarkLoopAsync()
    {
        ChannelReader<MarkRequest> reader = marks.Reader;
        try
        {
            var drained = new List<MarkRequest>();
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                bool timerTick = false;
                while (reader.TryRead(out MarkRequest mark))
                {
                    if (mark.IsTimerTick)
                    {
                        timerTick = true;
                    }
                    else
                    {
                        drained.Add(mark);
                    }
                }

                ApplyAll(drained);
                drained.Clear();
                if (timerTick)
                {
                    PersistIfTimedOut();
                }
            }
        }
#pragma warning disable CA1031 // any failure kills the consumer with that error
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }

        persistTimer?.Dispose();

        // Closing or dead: persist what is held, then answer anything still queued.
        try
        {
            Persist();
        }
#pragma warning disable CA1031
        catch (Exception error)
#pragma warning restore CA1031
        {
            Die(error);
        }

        while (reader.TryRead(out MarkRequest late))
        {
            if (!late.IsTimerTick)
            {
                late.Complete(new ConsumerClosedException(), logger);
            }
        }
    }

    /// <summary>The Timeout timer fired: persist the held marks if the first of them is old enough, else re-arm.</summary>
    private void PersistIfTimedOut()
    {
        if (heldCount == 0)
        {
            return;
        }

        TimeSpan remaining = options.Timeout - Stopwatch.GetElapsedTime(firstHeldAt);
        if (remaining <= TimeSpan.Zero)
        {
            Persist();
        }
        else
        {
            persistTimer?.Change(remaining, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>What applying one mark came to.</summary>
    private enum MarkOutcome : byte
    {
        /// <summary>At or below the persisted first position: done already.</summary>
        Persisted,

        /// <summary>Applied to the window; acknowledged when persisted.</summary>
        Held,

        /// <summary>Counted toward Skip without changing the window: covered by a held mark.</summary>
        HeldCovered,

        /// <summary>Not delivered by this consumer.</summary>
        Invalid,
    }

    /// <summary>
    /// Applies the marks drained from the queue, in order, under one lock for all of them (the
    /// reader takes the same lock), then answers or holds each outside it.
    /// </summary>
    private void ApplyAll(List<MarkRequest> drained)
    {
        if (drained.Count == 0)
        {
            return;
        }

        Volatile.Write(ref lastMarkAt, Stopwatch.GetTimestamp());
        if (outcomes.Length < drained.Count)
        {
            outcomes = new MarkOutcome[Math.Max(drained.Count, outcomes.Length * 2)];
        }

        lock (sync)
        {
            for (int i = 0; i < drained.Count; i++)
            {
                MarkRequest mark = drained[i];
                outcomes[i] = mark.Sequence <= persistedFirst ? MarkOutcome.Persisted
                    : mark.Sequence <= window!.Position ? MarkOutcome.HeldCovered
                    : window.Mark(mark.Sequence, mark.Cumulative) ? MarkOutcome.Held
                    : MarkOutcome.Invalid;
            }
        }

        for (int i = 0; i < drained.Count; i++)
        {
            MarkRequest mark = drained[i];
            switch (outcomes[i])
            {
                case MarkOutcome.Persisted:
                    mark.Complete(null, logger); // already persisted: idempotent
                    break;
                case MarkOutcome.Invalid:
                    mark.Complete(new InvalidSequenceException($"Consumer '{name}' has not delivered sequence {mark.Sequence}."), logger);
                    break;
                default:
                    Hold(mark);
                    break;
            }
        }

        if (Volatile.Read(ref readerWaitingForRoom))
        {
            markArrived.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// Holds an applied mark until the next persist. Every held mark counts toward Skip, also one
    /// covered by an unpersisted P (a held cumulative mark, or entries skipped after threshold cleaning).
    /// </summary>
    private void Hold(MarkRequest mark)
    {
        held.Add(mark);
        if (++heldCount == 1)
        {
            firstHeldAt = Stopwatch.GetTimestamp();
            persistTimer?.Change(options.Timeout, Timeout.InfiniteTimeSpan);
        }

        if (heldCount > options.Skip)
        {
            Persist();
        }
    }

    /// <summary>Writes the compiled positions to the table and acknowledges the held marks.</summary>
    private void Persist()
    {
        if (held.Count == 0)
        {
            return;
        }

        ulong[] positions;
        lock (sync)
        {
            positions = Sequence.Compile(window!.ToMarks());
        }

        try
        {
            table!.Set(name!, positions);
        }
#pragma warning disable CA1031 // the held marks fail with the error, and the consumer dies of it
        catch (Exception error)
#pragma warning restore CA1031
        {
            CompleteHeld(error);
            throw;
        }

        Volatile.Write(ref persistedFirst, positions[0]);
        CompleteHeld(null);
    }

    private void CompleteHeld(Exception? error)
    {
        foreach (MarkRequest mark in held)
        {
            mark.Complete(error, logger);
        }

        held.Clear();
        heldCount = 0;
    }
}
