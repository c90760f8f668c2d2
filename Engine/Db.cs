using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;
using Quasar.Storage.Files;
using Quasar.Storage.Segments;

namespace Quasar;

/// <summary>
/// A database: one directory, held exclusively, holding the files of its ledgers and tables.
/// </summary>
public sealed class Db : IDisposable, IAsyncDisposable
{
    private readonly DirectoryLock directoryLock;
    private readonly Dictionary<string, IStore> stores = new(StringComparer.Ordinal);
    private readonly object storesLock = new();
    private readonly List<IAttachment> attachments = [];
    private bool disposed;

    private Db(string directory, DbOptions options, DirectoryLock directoryLock)
    {
        Directory = directory;
        Options = options;
        this.directoryLock = directoryLock;
        Logger = options.Logger ?? NullLogger.Instance;
        FileSystem = options.FileSystem ?? PhysicalFileSystem.Instance;
        ConsumerMetrics = ConsumerMetrics.For(options.MeterFactory);
        SegmentCache = new SegmentCache(options.MaxOpenSegments);
    }

    /// <summary>The database directory (full path).</summary>
    public string Directory { get; }

    /// <summary>The options the database was opened with.</summary>
    public DbOptions Options { get; }

    internal ILogger Logger { get; }

    internal IFileSystem FileSystem { get; }

    /// <summary>The bound on open sealed segments that every ledger of this database shares (<see cref="DbOptions.MaxOpenSegments"/>).</summary>
    internal SegmentCache SegmentCache { get; }

    /// <summary>The consumer counters, on the meter of <see cref="DbOptions.MeterFactory"/> or the shared one.</summary>
    internal ConsumerMetrics ConsumerMetrics { get; }

    /// <summary>The clock every interval, timeout, deadline and delay is measured with (<see cref="DbOptions.TimeProvider"/>).</summary>
    internal TimeProvider Clock => Options.TimeProvider;

    /// <summary>What the log of the store in <paramref name="storeDirectory"/> is opened with.</summary>
    internal StoreContext StoreContext(string storeDirectory) => new(FileSystem, storeDirectory, Options.SyncWrites, Logger) { SegmentCache = SegmentCache };

    /// <summary>
    /// Opens or creates the database in <paramref name="directory"/>. Stores are recovered when
    /// they are opened: torn tails from a crash are repaired, anything else that fails validation
    /// raises <see cref="CorruptionException"/> naming the file and offset.
    /// </summary>
    /// <param name="directory">The directory; created if missing.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The open database.</returns>
    /// <exception cref="IOException">The directory is already open in this or another process.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DbOptions.SegmentSize"/> is less than 1 or more than 64 GiB, or <see cref="DbOptions.MaxOpenSegments"/> is less than 1.</exception>
    public static Db Open(string directory, DbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new DbOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentSize, DbOptions.MaxSegmentSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOpenSegments, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        string fullPath = Path.GetFullPath(directory);
        DurableDirectory.Create(options.FileSystem ?? PhysicalFileSystem.Instance, fullPath);
        var db = new Db(fullPath, options, DirectoryLock.Acquire(fullPath));
        Log.DbOpened(db.Logger, fullPath);
        return db;
    }

    /// <summary>Makes everything written so far, in every open ledger and table, durable.</summary>
    /// <exception cref="ObjectDisposedException">The database is disposed.</exception>
    public void Sync()
    {
        foreach (IStore store in OpenStores())
        {
            try
            {
                store.Sync();
            }
            catch (ObjectDisposedException)
            {
                // closed concurrently: its own dispose synced it
            }
        }
    }

    /// <summary>
    /// Stops the producers, consumers and cleaners still running on its stores, waits for calls in
    /// flight, then flushes, syncs and closes every ledger and table and releases the directory.
    /// A store that fails to close does not keep the others open: all are closed before the
    /// directory is released, then the failure is rethrown (several: an <see cref="AggregateException"/>).
    /// Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (BeginDispose() is not { } open)
        {
            return;
        }

        try
        {
            StopAttachments(null, null);

            // Every store is closed before the lock goes, even when one fails: a store left open
            // after the release could write beside the next Db to open the directory.
            CloseAll.Dispose(open);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// <see cref="Dispose"/> without blocking a thread while the producers, consumers and cleaners
    /// stop (consumers persist their pending marks first); the stores are then closed as
    /// <see cref="Dispose"/> closes them, with the same end state. Idempotent, and either call
    /// after the other does nothing.
    /// </summary>
    /// <returns>A task that completes once the database is closed (faulting as <see cref="Dispose"/> would throw).</returns>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose() is not { } open)
        {
            return;
        }

        try
        {
            foreach (IAttachment attachment in AttachmentsInStopOrder(null))
            {
                await attachment.StopAsync().ConfigureAwait(false);
                Detach(attachment);
            }

            CloseAll.Dispose(open);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Marks the database disposed; the stores to close, or null when it already was.</summary>
    private IStore[]? BeginDispose()
    {
        lock (storesLock)
        {
            if (disposed)
            {
                return null;
            }

            disposed = true;
            return [.. stores.Values];
        }
    }

    /// <summary>Releases the directory once every store is closed.</summary>
    private void Release()
    {
        directoryLock.Dispose();
        Log.DbClosed(Logger, Directory);
    }

    /// <summary>
    /// Opens a store under <paramref name="prefix"/>: claims the prefix first (so a concurrent
    /// open of the same prefix fails), runs <paramref name="open"/>, and releases the claim if it throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">A store with the prefix is open on this database.</exception>
    internal TStore OpenStore<TStore>(string prefix, Func<TStore> open)
        where TStore : IStore
    {
        var claim = new PendingStore();
        Register(prefix, claim);
        try
        {
            TStore store = open();
            lock (storesLock)
            {
                if (!disposed)
                {
                    stores[prefix] = store;
                    return store;
                }
            }

            // The database was disposed while the store was opening: it must not outlive it.
            store.Dispose();
            throw new ObjectDisposedException(nameof(Db));
        }
        catch
        {
            Unregister(prefix, claim);
            throw;
        }
    }

    /// <summary>Holds a prefix while its store is being opened.</summary>
    private sealed class PendingStore : IStore
    {
        public void Sync()
        {
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Registers a background worker so that disposal stops it first.</summary>
    internal void Attach(IAttachment attachment)
    {
        lock (storesLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            attachments.Add(attachment);
        }
    }

    /// <summary>Forgets a worker that stopped on its own.</summary>
    internal void Detach(IAttachment attachment)
    {
        lock (storesLock)
        {
            attachments.Remove(attachment);
        }
    }

    /// <summary>
    /// Stops the workers that use <paramref name="store"/> (all of them when null), in stop order,
    /// passing <paramref name="reason"/> on (null: an orderly stop).
    /// </summary>
    internal void StopAttachments(IStore? store, Exception? reason)
    {
        foreach (IAttachment attachment in AttachmentsInStopOrder(store))
        {
            attachment.Stop(reason);
            Detach(attachment);
        }
    }

    /// <summary>The workers that use <paramref name="store"/> (all of them when null), in stop order.</summary>
    private IAttachment[] AttachmentsInStopOrder(IStore? store)
    {
        lock (storesLock)
        {
            return [.. attachments.Where(a => store is null || a.Uses(store)).OrderBy(a => a.StopOrder)];
        }
    }

    /// <summary>Claims <paramref name="prefix"/> for a store being opened.</summary>
    private void Register(string prefix, IStore store)
    {
        lock (storesLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!stores.TryAdd(prefix, store))
            {
                throw PrefixTaken(prefix);
            }
        }
    }

    /// <summary>
    /// Throws when a store with <paramref name="prefix"/> is open (or opening) on this database. For
    /// an open that creates one store before another: checking the second prefix first means a
    /// refused open creates no files (it can still lose a race with a concurrent open).
    /// </summary>
    /// <exception cref="InvalidOperationException">The prefix is taken.</exception>
    /// <exception cref="ObjectDisposedException">The database is disposed.</exception>
    internal void ThrowIfOpen(string prefix)
    {
        lock (storesLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (stores.ContainsKey(prefix))
            {
                throw PrefixTaken(prefix);
            }
        }
    }

    private static InvalidOperationException PrefixTaken(string prefix) =>
        new($"A store with the prefix '{prefix}' is already open on this database.");

    /// <summary>
    /// Disposes a store: stops the workers that use it (failing their pending work with
    /// <see cref="ObjectDisposedException"/>), waits for its calls in flight, runs
    /// <paramref name="closeFiles"/>, and releases its prefix. Idempotent.
    /// </summary>
    internal void CloseStore(IStore store, CallGate gate, string prefix, Action closeFiles)
    {
        if (gate.IsClosed)
        {
            return;
        }

        StopAttachments(store, new ObjectDisposedException(gate.ObjectName));
        if (!gate.Close())
        {
            return;
        }

        try
        {
            closeFiles();
        }
        finally
        {
            Unregister(prefix, store);
        }
    }

    /// <summary>Releases <paramref name="prefix"/> when its store is disposed.</summary>
    private void Unregister(string prefix, IStore store)
    {
        lock (storesLock)
        {
            if (stores.TryGetValue(prefix, out IStore? current) && ReferenceEquals(current, store))
            {
                stores.Remove(prefix);
            }
        }
    }

    private IStore[] OpenStores()
    {
        lock (storesLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return [.. stores.Values];
        }
    }
}
