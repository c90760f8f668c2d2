using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Quasar;

/// <summary>
/// A named consumer's progress: its <see cref="MarkWindow"/>, the first position stored in its
/// table, and the marks applied but not stored yet (held). It decides what may be delivered, what
/// a mark comes to, and when the held marks are written: every <c>Skip + 1</c>-th mark,
/// <see cref="ConsumerOptions.Timeout"/> after the first of them, or when asked. It runs no loop
/// and owns no timer, so that every rule here can be driven step by step with a hand-set clock.
/// </summary>
/// <remarks>
/// Protocol. The consumer's reader loop calls <see cref="Room"/>, <see cref="Admit"/> and
/// <see cref="SkipTo"/>; its marker loop calls <see cref="Apply"/>, <see cref="PersistIfTimedOut"/>
/// and <see cref="Persist"/>. The window is the only state both loops touch, and one lock
/// (<see cref="sync"/>) guards it, taken once per batch of entries or marks. The held marks,
/// <see cref="firstHeldAt"/> and <see cref="outcomes"/> belong to the marker alone and are used
/// outside the lock, so acks and table writes never run under it. <see cref="persistedFirst"/> is
/// written by the marker and read by anyone (the marker, the lag gauge) through
/// <see cref="Volatile"/>. The Timeout wake-up is the consumer's: this type only asks for it
/// through the <c>armTimeout</c> callback, on the marker's thread.
/// </remarks>
internal sealed class ConsumerProgress
{
    /// <summary>Guards <see cref="window"/>; nothing else.</summary>
    private readonly object sync = new();

    /// <summary>The table the positions are stored in.</summary>
    private readonly Table table;

    /// <summary>The consumer's name: the table key.</summary>
    private readonly string name;

    /// <summary>The consumer's options (Window, Skip, Timeout).</summary>
    private readonly ConsumerOptions options;

    /// <summary>Where <see cref="firstHeldAt"/> and its age come from.</summary>
    private readonly TimeProvider clock;

    /// <summary>Asks the consumer to wake the marker after the given time (it then calls <see cref="PersistIfTimedOut"/>).</summary>
    private readonly Action<TimeSpan> armTimeout;

    /// <summary>Where failing acks are logged.</summary>
    private readonly ILogger logger;

    /// <summary>Delivered and restored entries above P; guarded by <see cref="sync"/>.</summary>
    private readonly MarkWindow window;

    /// <summary>Marks applied to the window and not yet written to the table (marker only).</summary>
    private readonly List<MarkRequest> held = [];

    /// <summary>What each mark of the batch in <see cref="Apply"/> came to; reused (marker only).</summary>
    private MarkOutcome[] outcomes = new MarkOutcome[16];

    /// <summary>The first position last written to the table (written by the marker; read through <see cref="Volatile"/>).</summary>
    private ulong persistedFirst;

    /// <summary>The <see cref="clock"/> timestamp at which the first of the held marks was held (marker only).</summary>
    private long firstHeldAt;

    private ConsumerProgress(Table table, ConsumerOptions options, TimeProvider clock, Action<TimeSpan> armTimeout, ILogger logger, MarkWindow window)
    {
        this.table = table;
        name = options.Name!;
        this.options = options;
        this.clock = clock;
        this.armTimeout = armTimeout;
        this.logger = logger;
        this.window = window;
        persistedFirst = window.Position;
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

    /// <summary>P: every entry up to it is done (marked, restored as done, or skipped as deleted).</summary>
    public ulong Position
    {
        get
        {
            lock (sync)
            {
                return window.Position;
            }
        }
    }

    /// <summary>The first position last written to the table.</summary>
    public ulong PersistedFirst => Volatile.Read(ref persistedFirst);

    /// <summary>
    /// Reads the positions stored under <see cref="ConsumerOptions.Name"/> (storing
    /// <c>Start - 1</c>, or 0 when Start is 0, if there are none) and rebuilds the window from them.
    /// </summary>
    /// <param name="table">Where the positions are stored.</param>
    /// <param name="options">The consumer's options; its name must be set.</param>
    /// <param name="clock">The clock the Timeout is measured with.</param>
    /// <param name="armTimeout">Asks for <see cref="PersistIfTimedOut"/> to be called after the given time.</param>
    /// <param name="logger">Where failing acks are logged.</param>
    /// <returns>The restored progress.</returns>
    /// <exception cref="ArgumentException">The options carry no name.</exception>
    public static ConsumerProgress Restore(Table table, ConsumerOptions options, TimeProvider clock, Action<TimeSpan> armTimeout, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Name, nameof(options));
        ulong[] stored = table.Get(options.Name);
        if (stored.Length == 0)
        {
            stored = [options.Start > 0 ? options.Start - 1 : 0];
            table.Set(options.Name, stored);
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

        return new ConsumerProgress(table, options, clock, armTimeout, logger, window);
    }

    /// <summary>Reader: how many more entries may be delivered now.</summary>
    /// <returns><see cref="ConsumerOptions.Window"/> minus the entries above P.</returns>
    public int Room()
    {
        lock (sync)
        {
            return options.Window - window.Count;
        }
    }

    /// <summary>
    /// Reader: adds the entries about to be delivered to the window (under one lock for the batch)
    /// and returns them, minus those restored as already done: still in the window, or absorbed
    /// into P by later marks. The restored positions the batch reaches then count as done.
    /// </summary>
    /// <param name="batch">Entries read from the ledger, in sequence order.</param>
    /// <returns>The entries to deliver: <paramref name="batch"/> itself when none is done.</returns>
    public IReadOnlyList<Entry> Admit(IReadOnlyList<Entry> batch)
    {
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

            if (batch.Count > 0)
            {
                window.Reach(batch[^1].Sequence);
            }
        }

        return kept ?? batch;
    }

    /// <summary>Reader: the ledger deleted every entry up to <paramref name="tail"/> (Threshold cleaning); P moves up to it.</summary>
    /// <param name="tail">The ledger's tail.</param>
    public void SkipTo(ulong tail)
    {
        lock (sync)
        {
            window.SkipTo(tail);
        }
    }

    /// <summary>
    /// Marker: applies the marks drained from the queue, in order, under one lock for all of them,
    /// then answers or holds each outside it. A mark at or below the persisted first position is
    /// answered at once with success, one this consumer has not delivered with
    /// <see cref="InvalidSequenceException"/>; every other is held (see <see cref="Persist"/>).
    /// When a write fails, the marks held after it fail with the same error: every mark of the
    /// batch was in the window that write compiled, and the consumer dies of it.
    /// </summary>
    /// <param name="drained">The marks, in the order they were queued.</param>
    /// <returns>How many of the marks were applied (held or already persisted): all but those of sequences not delivered.</returns>
    /// <exception cref="Exception">Writing the positions failed (every held mark got the error), after every mark was answered.</exception>
    public int Apply(List<MarkRequest> drained)
    {
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
                    : mark.Sequence <= window.Position ? MarkOutcome.HeldCovered
                    : window.Mark(mark.Sequence, mark.Cumulative) ? MarkOutcome.Held
                    : MarkOutcome.Invalid;
            }
        }

        Exception? writeFailure = null;
        int applied = drained.Count;
        for (int i = 0; i < drained.Count; i++)
        {
            MarkRequest mark = drained[i];
            switch (outcomes[i])
            {
                case MarkOutcome.Persisted:
                    mark.Complete(null, logger); // already persisted: idempotent
                    break;
                case MarkOutcome.Invalid:
                    applied--;
                    mark.Complete(new InvalidSequenceException($"Consumer '{name}' has not delivered sequence {mark.Sequence}."), logger);
                    break;
                case MarkOutcome.Held or MarkOutcome.HeldCovered when writeFailure is not null:
                    mark.Complete(writeFailure, logger);
                    break;
                default:
                    writeFailure = HoldOrFail(mark);
                    break;
            }
        }

        if (writeFailure is not null)
        {
            ExceptionDispatchInfo.Throw(writeFailure);
        }

        return applied;
    }

    /// <summary>
    /// Marker, when the Timeout wake-up fires: persists the held marks if the first of them is old
    /// enough, else asks to be woken again when it will be. Nothing held: nothing to do.
    /// </summary>
    /// <exception cref="Exception">Writing the positions failed (the held marks got the error).</exception>
    public void PersistIfTimedOut()
    {
        if (held.Count == 0)
        {
            return;
        }

        TimeSpan remaining = options.Timeout - clock.GetElapsedTime(firstHeldAt);
        if (remaining <= TimeSpan.Zero)
        {
            Persist();
        }
        else
        {
            armTimeout(remaining);
        }
    }

    /// <summary>
    /// Marker: writes the compiled positions to the table and acknowledges the held marks; nothing
    /// held, nothing written. A failed write fails the held marks with the error and rethrows it.
    /// </summary>
    /// <exception cref="Exception">Writing the positions failed.</exception>
    public void Persist()
    {
        if (held.Count == 0)
        {
            return;
        }

        ulong[] positions;
        lock (sync)
        {
            positions = Sequence.Compile(window.ToMarks());
        }

        try
        {
            table.Set(name, positions);
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

    /// <summary>
    /// Holds an applied mark until the next persist. Every held mark counts toward Skip, also one
    /// covered by an unpersisted P (a held cumulative mark, or entries skipped after threshold cleaning).
    /// </summary>
    private void Hold(MarkRequest mark)
    {
        held.Add(mark);
        if (held.Count == 1)
        {
            firstHeldAt = clock.GetTimestamp();
            if (options.Timeout > TimeSpan.Zero)
            {
                armTimeout(options.Timeout);
            }
        }

        if (held.Count > options.Skip)
        {
            Persist();
        }
    }

    /// <summary><see cref="Hold"/>, returning the error of a write it triggered that failed (the held marks got it) instead of throwing it.</summary>
    private Exception? HoldOrFail(MarkRequest mark)
    {
        try
        {
            Hold(mark);
            return null;
        }
#pragma warning disable CA1031 // the caller answers the rest of its batch, then rethrows it
        catch (Exception error)
#pragma warning restore CA1031
        {
            return error;
        }
    }

    /// <summary>Reports <paramref name="error"/> (null: success) to every held mark and forgets them.</summary>
    private void CompleteHeld(Exception? error)
    {
        foreach (MarkRequest mark in held)
        {
            mark.Complete(error, logger);
        }

        held.Clear();
    }
}
