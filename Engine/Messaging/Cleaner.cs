using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;

namespace Quasar;

/// <summary>
/// Deletes old entries from a ledger periodically: keeps <see cref="CleanerOptions.Retention"/>
/// newest entries, never deletes past the lowest first position stored in any configured table
/// (a consumer's "done up to here"), except that the hard limits delete regardless: above
/// <see cref="CleanerOptions.Threshold"/> entries, entries older than <see cref="CleanerOptions.MaxAge"/>,
/// and the oldest entries while they take more than <see cref="CleanerOptions.MaxBytes"/>. Before it persists a deletion it makes the tables' state durable,
/// so a crash can never leave a stored position below the ledger's tail.
/// </summary>
/// <remarks>
/// A pass holds <c>passLock</c> (one pass at a time, periodic or <see cref="Clean"/>) and, from
/// reading the tables' ranges until the deletion returns, every table's lock, taken in
/// <see cref="Table.LockOrder"/>: sets and deletes of those tables wait for the pass, so a position
/// stored during it is stored after its deletion, never ignored by it.
/// </remarks>
public sealed class Cleaner : IDisposable, IAttachment
{
    private readonly Ledger ledger;
    private readonly CleanerOptions options;
    private readonly Table[] tables;
    private readonly ILogger logger;
    private readonly object passLock = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private int disposed;

    /// <summary>Creates the cleaner and starts its periodic passes.</summary>
    /// <param name="ledger">The ledger to clean.</param>
    /// <param name="options">The cleaner's options.</param>
    /// <exception cref="ArgumentOutOfRangeException">Interval is not above zero or longer than about 49.7 days (the longest timer), or Retention or Threshold is negative.</exception>
    /// <exception cref="ArgumentException">Tables holds a null.</exception>
    /// <exception cref="ObjectDisposedException">The ledger or its database is disposed.</exception>
    public Cleaner(Ledger ledger, CleanerOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero, nameof(options));
        TimerLimit.ThrowIfBeyond(options.Interval, nameof(options.Interval), nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retention, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threshold, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAge, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBytes, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Tables, nameof(options));
        if (options.Tables.Any(t => t is null))
        {
            throw new ArgumentException("Tables must not hold null.", nameof(options));
        }

        ledger.ThrowIfDisposed();
        this.ledger = ledger;
        this.options = options;
        tables = [.. options.Tables.Distinct().OrderBy(t => t.LockOrder)];
        logger = ledger.Db.Logger;
        ledger.Db.Attach(this);
        loop = Task.Run(RunAsync);
    }

    int IAttachment.StopOrder => 2;

    /// <summary>Runs one pass now.</summary>
    /// <returns>How many entries were deleted.</returns>
    /// <exception cref="ObjectDisposedException">The cleaner, its ledger or one of its tables is disposed.</exception>
    public long Clean()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        lock (passLock)
        {
            return Pass();
        }
    }

    /// <summary>
    /// One pass, holding every table unchanged (<see cref="Table.WhileUnchanged"/>) from reading
    /// their ranges to the deletion: a position stored in between would otherwise be ignored, and
    /// the entries above it deleted after it was stored. Tables are taken in
    /// <see cref="Table.LockOrder"/>, the order every cleaner uses.
    /// </summary>
    private long Pass() => HoldingTablesFrom(0);

    /// <summary>Holds the table at <paramref name="index"/> and those after it, then runs the pass.</summary>
    private long HoldingTablesFrom(int index) =>
        index == tables.Length ? PassWhileTablesHeld() : tables[index].WhileUnchanged(() => HoldingTablesFrom(index + 1));

    /// <summary>The pass itself: decide the target from retention, the tables and the threshold; sync the tables; delete.</summary>
    private long PassWhileTablesHeld()
    {
        long length = ledger.Length;
        if (length <= options.Retention)
        {
            return 0;
        }

        // The newest entry retention lets go of. Not found: someone else deleted meanwhile; the
        // next pass looks again rather than trusting the fallback (Head).
        (ulong retained, bool found) = ledger.Index(length - options.Retention - 1);
        if (!found)
        {
            return 0;
        }

        ulong target = retained;

        foreach (Table table in tables)
        {
            (ulong min, _, bool hasPositions) = table.Range();
            if (hasPositions)
            {
                target = Math.Min(target, min);
            }
        }

        if (options.Threshold > 0 && length > options.Threshold)
        {
            long keep = Math.Max(options.Threshold, options.Retention);
            (ulong forced, bool forcedFound) = ledger.Index(length - keep - 1);
            target = forcedFound ? Math.Max(target, forced) : target;
        }

        target = Math.Max(target, Math.Min(HardLimitTarget(), retained));

        if (target <= ledger.Tail)
        {
            return 0;
        }

        foreach (IStore table in tables)
        {
            table.Sync(); // the positions this pass relied on are durable before the deletion is
        }

        long deleted = ledger.Delete(target);
        if (deleted > 0)
        {
            QuasarMetrics.EntriesCleaned.Add(deleted, QuasarMetrics.LedgerTag(ledger.Options.Prefix));
            Log.CleanerDeleted(logger, ledger.Options.Prefix, deleted, target);
        }

        return deleted;
    }

    /// <summary>
    /// The newest entry <see cref="CleanerOptions.MaxAge"/> or <see cref="CleanerOptions.MaxBytes"/>
    /// delete whatever the tables say (0: none). Age: every entry stamped in a whole second that
    /// ended more than MaxAge ago, found from the sequence layout (seconds in the high 32 bits)
    /// without reading entries.
    /// </summary>
    private ulong HardLimitTarget()
    {
        ulong target = 0;
        if (options.MaxAge > TimeSpan.Zero)
        {
            // In ticks, so a MaxAge reaching before year 1 (TimeSpan.MaxValue) means "nothing yet", not an overflow.
            long cutoffTicks = ledger.Db.Clock.GetUtcNow().UtcTicks - options.MaxAge.Ticks;
            long cutoffSeconds = (cutoffTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;
            (ulong oldest, bool any) = ledger.Index(0);
            if (cutoffSeconds > 0 && any && (oldest >> 32) < (ulong)cutoffSeconds)
            {
                target = ((ulong)cutoffSeconds << 32) - 1;
            }
        }

        if (options.MaxBytes > 0 && ledger.TryGetLastToDropForBytes(options.MaxBytes, out ulong oversize))
        {
            target = Math.Max(target, oversize);
        }

        return target;
    }

    /// <summary>Stops the periodic passes (waiting for one in progress). Idempotent.</summary>
    public void Dispose()
    {
        Stop();
        ledger.Db.Detach(this);
    }

    bool IAttachment.Uses(IStore store) => ReferenceEquals(store, ledger) || tables.Any(t => ReferenceEquals(t, store));

    void IAttachment.Stop(Exception? reason)
    {
        // A store it uses is being disposed (reason set): the cleaner stops with that error, which
        // only Errors can tell. A database dispose (null) is an orderly stop.
        if (Stop() && reason is not null)
        {
            Callbacks.Invoke(options.Errors, reason, logger, "cleaner errors");
        }
    }

    /// <inheritdoc/>
    async ValueTask IAttachment.StopAsync()
    {
        BeginStop();
        if (Task.CurrentId != loop.Id)
        {
            await loop.ConfigureAwait(false);
        }
    }

    /// <summary>Stops the loop and waits for it; false when it was already stopped.</summary>
    private bool Stop()
    {
        if (!BeginStop())
        {
            return false;
        }

        if (!loop.IsCompleted && Task.CurrentId != loop.Id)
        {
            loop.Wait();
        }

        return true;
    }

    /// <summary>Marks the cleaner stopped and cancels its loop; false when it was already stopped.</summary>
    private bool BeginStop()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return false;
        }

        stopping.Cancel();
        return true;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.Interval, ledger.Db.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    lock (passLock)
                    {
                        if (!stopping.IsCancellationRequested)
                        {
                            Pass();
                        }
                    }
                }
                catch (ObjectDisposedException error)
                {
                    Callbacks.Invoke(options.Errors, error, logger, "cleaner errors");
                    return; // its ledger or a table is gone: nothing left to clean
                }
#pragma warning disable CA1031 // a failed pass is reported and retried next interval
                catch (Exception error)
#pragma warning restore CA1031
                {
                    Log.CleanerFailed(logger, ledger.Options.Prefix, error);
                    Callbacks.Invoke(options.Errors, error, logger, "cleaner errors");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // disposed
        }
    }
}
