using Quasar.Lifecycle;
using Quasar.Storage;

namespace Quasar;

/// <summary>
/// A ledger <c>&lt;Prefix&gt;:l</c>, a table <c>&lt;Prefix&gt;:t</c> for its consumers' positions, and
/// (when <see cref="QueueOptions.CleanInterval"/> is above zero) a cleaner that never deletes
/// past those positions; plus factories for producers and consumers that it owns.
/// </summary>
public sealed class Queue : IDisposable, IAsyncDisposable
{
    private readonly object sync = new();
    private readonly List<Producer> producers = [];
    private readonly List<Consumer> consumers = [];
    private readonly Cleaner? cleaner;
    private bool disposed;

    private Queue(Ledger ledger, Table table, Cleaner? cleaner)
    {
        Ledger = ledger;
        Table = table;
        this.cleaner = cleaner;
    }

    /// <summary>The queue's ledger.</summary>
    public Ledger Ledger { get; }

    /// <summary>The queue's position table.</summary>
    public Table Table { get; }

    /// <summary>Opens (creating if needed) the queue's ledger and table and starts its cleaner.</summary>
    /// <param name="db">The database.</param>
    /// <param name="options">The queue's options.</param>
    /// <returns>The open queue.</returns>
    /// <exception cref="ArgumentException">The prefix is invalid or longer than 98 characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative cache, limit, retention, threshold, max age, max bytes or interval, or an interval longer than about 49.7 days (the longest timer).</exception>
    /// <exception cref="InvalidOperationException">The ledger's or table's prefix is open on <paramref name="db"/>.</exception>
    public static Queue Open(Db db, QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        StoreNames.Validate(options.Prefix, nameof(options));
        if (options.Prefix.Length > StoreNames.MaxPrefixLength - 2)
        {
            throw new ArgumentException($"A queue prefix is at most {StoreNames.MaxPrefixLength - 2} characters (room for ':l' and ':t'); got {options.Prefix.Length}.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.CleanInterval, TimeSpan.Zero, nameof(options));
        TimerLimit.ThrowIfBeyond(options.CleanInterval, nameof(options.CleanInterval), nameof(options)); // before any store is opened
        ArgumentOutOfRangeException.ThrowIfNegative(options.CleanRetention, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CleanThreshold, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CleanMaxAge, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CleanMaxBytes, nameof(options));
        db.ThrowIfOpen(options.Prefix + ":t"); // else the ledger would be created, then the table refused
        Ledger ledger = Ledger.Open(db, new LedgerOptions { Prefix = options.Prefix + ":l", Cache = options.LedgerCache, Limit = options.LedgerLimit });
        Table? table = null;
        try
        {
            table = Table.Open(db, new TableOptions { Prefix = options.Prefix + ":t", Cache = options.TableCache });
            Cleaner? cleaner = options.CleanInterval > TimeSpan.Zero
                ? new Cleaner(ledger, new CleanerOptions
                {
                    Retention = options.CleanRetention,
                    Threshold = options.CleanThreshold,
                    MaxAge = options.CleanMaxAge,
                    MaxBytes = options.CleanMaxBytes,
                    Interval = options.CleanInterval,
                    Tables = [table],
                    Errors = options.CleanErrors,
                })
                : null;
            return new Queue(ledger, table, cleaner);
        }
        catch
        {
            table?.Dispose();
            ledger.Dispose();
            throw;
        }
    }

    /// <summary>Creates a producer on the queue's ledger; the queue disposes it with itself.</summary>
    /// <param name="options">The producer's options.</param>
    /// <returns>The producer.</returns>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public Producer CreateProducer(ProducerOptions options) => Track(producers, () => new Producer(Ledger, options));

    /// <summary>Creates a consumer on the queue's ledger, storing positions in the queue's table; the queue disposes it with itself.</summary>
    /// <param name="options">The consumer's options.</param>
    /// <returns>The consumer.</returns>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public Consumer CreateConsumer(ConsumerOptions options) => Track(consumers, () => new Consumer(Ledger, Table, options));

    /// <summary>
    /// Disposes the producers and consumers it created, the cleaner, the ledger and the table; the
    /// table is closed even when the ledger fails to (the failure is rethrown after). Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (BeginDispose() is not { } owned)
        {
            return;
        }

        foreach (IAsyncDisposable worker in owned)
        {
            worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        CloseAll.Dispose([cleaner, Ledger, Table]);
    }

    /// <summary>
    /// <see cref="Dispose"/> without blocking a thread while its producers, consumers and cleaner
    /// stop; the same end state. Idempotent, and either call after the other does nothing.
    /// </summary>
    /// <returns>A task that completes once the queue is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose() is not { } owned)
        {
            return;
        }

        foreach (IAsyncDisposable worker in owned)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        if (cleaner is not null)
        {
            await ((IAttachment)cleaner).StopAsync().ConfigureAwait(false); // its Dispose below then has nothing to wait for
        }

        CloseAll.Dispose([cleaner, Ledger, Table]);
    }

    /// <summary>Marks the queue disposed; its producers then consumers (the order they stop in), or null when it already was.</summary>
    private IAsyncDisposable[]? BeginDispose()
    {
        lock (sync)
        {
            if (disposed)
            {
                return null;
            }

            disposed = true;
            return [.. producers, .. consumers];
        }
    }

    private T Track<T>(List<T> owned, Func<T> create)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            T created = create();
            owned.Add(created);
            return created;
        }
    }
}
