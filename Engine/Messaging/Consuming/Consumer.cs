using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Lifecycle;

namespace Quasar;

/// <summary>
/// Delivers a ledger's entries in sequence order through <see cref="Entries"/> and stores the
/// consumer's progress (its marks, compiled with <see cref="Sequence.Compile"/>) in a table under
/// its name, so that after a restart it resumes after its first stored position and skips the
/// positions stored beyond it: at-least-once, never a gap. Two loops run per consumer: a reader
/// that sleeps until the ledger notifies a write (no polling), and a marker that applies marks in
/// the order they were queued; <see cref="ConsumerProgress"/> holds the rules they follow.
/// </summary>
public sealed partial class Consumer : IAsyncDisposable, IAttachment
{
    // How a consumer runs. Two loops, started together by the constructor (RunAsync) and ended
    // together; the rules of progress (what may be delivered, what a mark comes to, when marks are
    // written) live in ConsumerProgress, which runs no loop and holds the only lock.
    //
    //   reader (Consumer.ReadLoop.cs)  ledger.Read(next) -> progress.Admit -> `entries`
    //     Reads at most min(Batch, progress.Room()) entries from `next`, adds them to the window
    //     (Admit drops those restored as done) and writes them to `entries`, where it waits while
    //     the application has Batch of them unread. A full window (Room 0) stops it until a mark
    //     frees room, or until Deadline passes with no mark: then it dies of ConsumerDeadlockException.
    //
    //   marker (Consumer.MarkLoop.cs)  `marks` -> progress.Apply -> table
    //     Mark/MarkAsync queue a MarkRequest on `marks`; the marker drains everything queued and
    //     applies it in one go. Progress answers each mark at once or holds it, and writes the
    //     held marks to the table every Skip + 1 marks or on a Timeout tick. On close it persists
    //     what is held and answers what is still queued with ConsumerClosedException.
    //
    // Wake-ups (who signals whom, through what):
    //   ledger write    -> `notifications` (capacity 1, extra writes dropped) -> reader, asleep
    //                      after an empty read. Drained before each read: the read sees them all.
    //   Mark, MarkAsync -> `marks` (unbounded, one reader) -> marker.
    //   marks applied   -> `markArrived` (capacity 1, extra writes dropped) -> reader, signalled
    //                      only while `readerWaitingForRoom` says it waits in a full window; the
    //                      reader re-checks Room after raising the flag, so no mark slips between.
    //   Timeout         -> `persistTimer`, armed by progress through ArmTimeout (first held mark,
    //                      or a tick that came early) -> a TimerTick on `marks` -> marker ->
    //                      progress.PersistIfTimedOut. The tick goes through the queue so that
    //                      held marks are only ever touched on the marker.
    //   Deadline        -> the reader's own wait on `markArrived`, cancelled after what is left
    //                      of Deadline since the window filled or the last mark (`lastMarkAt`).
    //   close, death    -> Shutdown: `stopping` cancelled (ends the reader's waits) and `marks`
    //                      completed (ends the marker once it has drained the queue).
    //
    // Who owns which field:
    //   reader:   next; readerWaitingForRoom (written here, read by the marker, volatile);
    //             lastDelivered (temporary consumers; read by Position, volatile).
    //   marker:   lastMarkAt (written here, read by the reader, volatile); persistTimer (armed
    //             through progress, disposed when the loop ends); progress's held marks.
    //   both:     progress's mark window, behind progress's lock - there is no lock in Consumer.
    //   any:      state (one compare-exchange from Running to Closing or Dead, so Shutdown runs
    //             once); deathError (written by the Die that wins that exchange, read by RunAsync
    //             after both loops ended).
    //   RunAsync: completing `entries` and Completion, unsubscribing, after both loops ended.
    //
    // Files: this one holds the state and the public calls; Consumer.Async.cs the async stream,
    // cancellable mark, Position and Lag; Consumer.Lifecycle.cs the closing and dying;
    // Consumer.ReadLoop.cs and Consumer.MarkLoop.cs the loops.

    /// <summary><see cref="state"/>: open, both loops run.</summary>
    private const int Running = 0;

    /// <summary><see cref="state"/>: disposed or the Db stopped it; the loops are ending.</summary>
    private const int Closing = 1;

    /// <summary><see cref="state"/>: died of <see cref="deathError"/>; the loops are ending.</summary>
    private const int Dead = 2;

    /// <summary>The ledger it consumes.</summary>
    private readonly Ledger ledger;

    /// <summary>Where the positions are stored; null only for a temporary consumer.</summary>
    private readonly Table? table;

    /// <summary>The options it was created with.</summary>
    private readonly ConsumerOptions options;

    /// <summary>The name its positions are stored under; null for a temporary consumer.</summary>
    private readonly string? name;

    /// <summary>The database's logger.</summary>
    private readonly ILogger logger;

    /// <summary>Delivered entries, at most Batch unread (reader writes, the application reads).</summary>
    private readonly Channel<Entry> entries;

    /// <summary>The ledger's write notifications: wakes the reader after an empty read.</summary>
    private readonly Channel<ulong> notifications = Channel.CreateBounded<ulong>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Marks were applied: wakes the reader waiting for room in a full window.</summary>
    private readonly Channel<bool> markArrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queued marks and Timeout ticks, in order, for the marker.</summary>
    private readonly Channel<MarkRequest> marks = Channel.CreateUnbounded<MarkRequest>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Cancelled on close or death: ends the reader's waits.</summary>
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Behind <see cref="Completion"/>: set by RunAsync once both loops have ended.</summary>
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The window, held marks and stored first position; null for a temporary consumer, which tracks no marks.</summary>
    private readonly ConsumerProgress? progress;

    /// <summary>Both loops; completes once they have ended and the consumer is closed.</summary>
    private readonly Task run;

    /// <summary>Fires <see cref="ConsumerOptions.Timeout"/> after the first held mark; one timer, re-armed, never one per wait.</summary>
    private readonly ITimer? persistTimer;

    /// <summary>The database's consumer counters.</summary>
    private readonly ConsumerMetrics metrics;

    /// <summary>The tags of this consumer's measurements: its ledger and its name.</summary>
    private readonly KeyValuePair<string, object?> ledgerTag;

    /// <summary>The <c>consumer</c> tag (null name for a temporary consumer).</summary>
    private readonly KeyValuePair<string, object?> consumerTag;

    /// <summary>The database's clock: Timeout and Deadline are measured and waited on with it.</summary>
    private readonly TimeProvider clock;

    /// <summary>The next sequence to read (reader only).</summary>
    private ulong next;

    /// <summary>The reader waits for room in a full window: the marker signals <see cref="markArrived"/> then.</summary>
    private bool readerWaitingForRoom;

    /// <summary>When the last marks were applied (a <see cref="clock"/> timestamp; the Deadline counts from it).</summary>
    private long lastMarkAt;

    /// <summary>The last entry a temporary consumer delivered (reader writes, <see cref="Position"/> reads); unused when named.</summary>
    private ulong lastDelivered;

    /// <summary>Running, Closing or Dead.</summary>
    private int state;

    /// <summary>The error the consumer died of; null when it closed.</summary>
    private Exception? deathError;

    /// <summary>
    /// Creates the consumer and starts delivering. A named consumer with nothing stored persists
    /// <c>Start - 1</c> (0 when Start is 0) before this returns, so a cleaner cannot delete from under it.
    /// </summary>
    /// <param name="ledger">The ledger to consume.</param>
    /// <param name="table">Where positions are stored; may be null only for a temporary consumer (no name).</param>
    /// <param name="options">The consumer's options.</param>
    /// <exception cref="ArgumentOutOfRangeException">Batch or Window below 1, a negative Skip, Timeout or Deadline, or a Timeout or Deadline longer than about 49.7 days (the longest timer).</exception>
    /// <exception cref="ArgumentException">Skip is not below Window.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null for a named consumer.</exception>
    /// <exception cref="ObjectDisposedException">The ledger, the table or their database is disposed; nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">A live consumer with the same name stores its positions in <paramref name="table"/>; released when that one is disposed or dies.</exception>
    public Consumer(Ledger ledger, Table? table, ConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Batch, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Window, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Timeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Deadline, TimeSpan.Zero, nameof(options));
        TimerLimit.ThrowIfBeyond(options.Timeout, nameof(options.Timeout), nameof(options));
        TimerLimit.ThrowIfBeyond(options.Deadline, nameof(options.Deadline), nameof(options));
        if (options.Skip >= options.Window)
        {
            throw new ArgumentException($"Skip ({options.Skip}) must be below Window ({options.Window}).", nameof(options));
        }

        name = string.IsNullOrEmpty(options.Name) ? null : options.Name;
        if (name is not null)
        {
            ArgumentNullException.ThrowIfNull(table, nameof(table));
        }

        ledger.ThrowIfDisposed();
        this.ledger = ledger;
        this.table = table;
        this.options = options;
        logger = ledger.Db.Logger;
        clock = ledger.Db.Clock;
        metrics = ledger.Db.ConsumerMetrics;
        ledgerTag = QuasarMetrics.LedgerTag(ledger.Options.Prefix);
        consumerTag = new("consumer", name);
        entries = Channel.CreateBounded<Entry>(new BoundedChannelOptions(options.Batch) { SingleWriter = true });
        if (name is not null)
        {
            table!.ConsumerNames.Claim(name, table.Options.Prefix);
            try
            {
                progress = ConsumerProgress.Restore(table, options, clock, ArmTimeout, logger);
            }
            catch
            {
                table.ConsumerNames.Release(name);
                throw;
            }

            if (options.Timeout > TimeSpan.Zero)
            {
                persistTimer = clock.CreateTimer(_ => marks.Writer.TryWrite(MarkRequest.TimerTick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            next = After(progress.Position);
            ConsumerLag.Track(this);
        }
        else
        {
            next = options.Start;
            lastDelivered = options.Start > 0 ? options.Start - 1 : 0;
        }

        try
        {
            ledger.Subscribe(notifications.Writer);
            ledger.Db.Attach(this);
        }
        catch when (name is not null)
        {
            table!.ConsumerNames.Release(name); // the ledger or database closed meanwhile: this one never ran
            throw;
        }

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

        if (progress is null)
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
#pragma warning disable RS0027 // both MarkAsync signatures are fixed by API.md: the optional one shipped first, the token overload was added beside it
    public Task MarkAsync(ulong sequence, bool cumulative = false)
#pragma warning restore RS0027
    {
        if (Volatile.Read(ref state) != Running)
        {
            return Task.FromException(new ConsumerClosedException());
        }

        if (progress is null)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return marks.Writer.TryWrite(new MarkRequest(sequence, cumulative, null, done))
            ? done.Task
            : Task.FromException(new ConsumerClosedException());
    }
}
