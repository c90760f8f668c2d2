using System.Text;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;
using Quasar.Storage.Tables;

namespace Quasar;

/// <summary>
/// A durable map from names (consumer names) to lists of positions (sequences), stored in its own
/// log file. With <see cref="DbOptions.SyncWrites"/>, <see cref="Set"/> and <see cref="Delete"/>
/// are durable when they return. Thread-safe.
/// </summary>
public sealed class Table : IDisposable, IStore
{
    private readonly Db db;
    private readonly TableOptions options;
    private readonly TableLog log;
    private readonly CallGate gate;
    private readonly WriteRefusal refusal = new();

    /// <summary>UTF-8 that throws on a lone surrogate instead of replacing it.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static long opened;
    private readonly object sync = new();

    private Table(Db db, TableOptions options, TableLog log)
    {
        this.db = db;
        this.options = options;
        this.log = log;
        gate = new CallGate($"Table '{options.Prefix}'");
        LockOrder = Interlocked.Increment(ref opened);
    }

    /// <summary>Unique per opened table: whoever holds several tables' locks takes them in this order, so two holders cannot deadlock.</summary>
    internal long LockOrder { get; }

    /// <summary>The names of the live consumers storing their positions here (one consumer per name).</summary>
    internal ConsumerNames ConsumerNames { get; } = new();

    /// <summary>The database the store belongs to.</summary>
    internal Db Db => db;

    /// <summary>Whether the table is disposed (or disposing): it refuses every call.</summary>
    internal bool IsClosed => gate.IsClosed;

    /// <summary>The last write the table's storage refused, until a later write succeeds (for health checks).</summary>
    internal WriteRefusal Refusal => refusal;

    /// <summary>The options the table was opened with.</summary>
    public TableOptions Options => options;

    /// <summary>Opens (creating if needed) the table named by <see cref="TableOptions.Prefix"/>, repairing a torn tail.</summary>
    /// <param name="db">The database that owns the table.</param>
    /// <param name="options">The table's options.</param>
    /// <returns>The open table.</returns>
    /// <exception cref="ArgumentException">The prefix is invalid.</exception>
    /// <exception cref="InvalidOperationException">A store with the same prefix is open on <paramref name="db"/>.</exception>
    /// <exception cref="CorruptionException">The table file fails validation in a way recovery cannot repair.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="db"/> is disposed.</exception>
    public static Table Open(Db db, TableOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        StoreNames.Validate(options.Prefix, nameof(options));
        return db.OpenStore(options.Prefix, () =>
        {
            string directory = Path.Combine(db.Directory, StoreNames.Table(options.Prefix));
            TableLog log = TableLog.Open(db.StoreContext(directory), options.Cache);
            Log.TableOpened(db.Logger, options.Prefix, log.Count, log.FileLength);
            return new Table(db, options, log);
        });
    }

    /// <summary>Stores <paramref name="positions"/> under <paramref name="name"/>, replacing what it held. No positions: no-op.</summary>
    /// <param name="name">A non-empty name of at most 1,024 UTF-8 bytes, valid UTF-16 (no lone surrogates).</param>
    /// <param name="positions">The positions (at most 1,048,576), stored in the order given.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or not valid UTF-16, or there are too many positions.</exception>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    public void Set(string name, params ReadOnlySpan<ulong> positions)
    {
        ValidateName(name);
        if (positions.Length > TableLog.MaxPositions)
        {
            throw new ArgumentException($"A name holds at most {TableLog.MaxPositions} positions; got {positions.Length}.", nameof(positions));
        }

        using CallGate.Scope call = gate.Enter();
        if (positions.IsEmpty)
        {
            return;
        }

        lock (sync)
        {
            try
            {
                log.Set(name, positions);
            }
            catch (Exception error) when (refusal.Record(error))
            {
                throw; // never reached: Record only observes
            }

            refusal.Accepted();
        }
    }

    /// <summary>A copy of the positions stored under <paramref name="name"/>; an empty array when there are none.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The positions, in the order they were set.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long or not valid UTF-16.</exception>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    public ulong[] Get(string name)
    {
        ValidateName(name);
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            return log.Get(name);
        }
    }

    /// <summary>Copies of every name's positions.</summary>
    /// <returns>A new dictionary; changing it changes nothing in the table.</returns>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    public IReadOnlyDictionary<string, ulong[]> All()
    {
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            return log.All();
        }
    }

    /// <summary>Removes <paramref name="name"/> and its positions; a missing name is a no-op.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or not valid UTF-16.</exception>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    public void Delete(string name)
    {
        ValidateName(name);
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            try
            {
                log.Delete(name);
            }
            catch (Exception error) when (refusal.Record(error))
            {
                throw; // never reached: Record only observes
            }

            refusal.Accepted();
        }
    }

    /// <summary>
    /// The smallest first position and the largest last position over all names (position 0
    /// counts like any other); <c>Found</c> is false when the table is empty.
    /// </summary>
    /// <returns>The range.</returns>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    public (ulong Min, ulong Max, bool Found) Range()
    {
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            return log.Range();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> while no set or delete can change the table: a cleaner
    /// decides, syncs and deletes inside it, so a position stored during its pass is either seen
    /// by the pass or stored after the deletion (API.md: a new consumer's Start-1 "cannot be
    /// deleted from under it"). Calls of the table from inside the action are allowed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The table is disposed.</exception>
    internal TResult WhileUnchanged<TResult>(Func<TResult> action)
    {
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            return action();
        }
    }

    /// <summary>Makes every set and delete so far durable.</summary>
    void IStore.Sync()
    {
        using CallGate.Scope call = gate.Enter();
        lock (sync)
        {
            refusal.Sync(log.Sync);
        }
    }

    /// <summary>
    /// Waits for calls in flight, then syncs and closes the table's file and releases its prefix.
    /// Idempotent; later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => db.CloseStore(this, gate, options.Prefix, () =>
    {
        lock (sync)
        {
            log.Dispose();
        }
    });

    /// <summary>
    /// Checks a name: non-empty, valid UTF-16 (a lone surrogate has no UTF-8 encoding; the lenient
    /// encoder would store U+FFFD, a different name), and at most <see cref="TableLog.MaxNameBytes"/> UTF-8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The name is null, empty, not valid UTF-16, or too long.</exception>
    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException error)
        {
            throw new ArgumentException($"A name must be valid UTF-16; it holds a lone surrogate at index {error.Index}.", nameof(name), error);
        }

        if (bytes > TableLog.MaxNameBytes)
        {
            throw new ArgumentException($"A name is at most {TableLog.MaxNameBytes} UTF-8 bytes long.", nameof(name));
        }
    }
}
