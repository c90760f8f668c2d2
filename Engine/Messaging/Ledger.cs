using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Quasar.Diagnostics;
using Quasar.Lifecycle;
using Quasar.Storage;
using Quasar.Storage.Segments;

namespace Quasar;

/// <summary>
/// A durable, ordered log of entries with strictly increasing sequences, stored in its own
/// segment files. One writer at a time (writes and deletes are serialized); reads run concurrently
/// with them and never see part of a batch.
/// </summary>
public sealed class Ledger : IDisposable, IStore
{
    private readonly Db db;
    private readonly LedgerOptions options;
    private readonly SegmentLog log;
    private readonly CallGate gate;
    private readonly object writeLock = new();
    private readonly LedgerCache? cache;
    private readonly WriteRefusal refusal = new();
    private ChannelWriter<ulong>[] subscribers = [];

    private Ledger(Db db, LedgerOptions options, SegmentLog log)
    {
        this.db = db;
        this.options = options;
        this.log = log;
        gate = new CallGate($"Ledger '{options.Prefix}'");
        cache = options.Cache > 0 ? new LedgerCache(options.Cache) : null;
    }

    /// <summary>The largest payload a ledger accepts: 16 MiB.</summary>
    public const int MaxPayloadLength = SegmentLog.MaxPayloadLength;

    /// <summary>The database the store belongs to.</summary>
    internal Db Db => db;

    /// <summary>Whether the ledger is disposed (or disposing): it refuses every call.</summary>
    internal bool IsClosed => gate.IsClosed;

    /// <summary>The last write the ledger's storage refused, until a later write succeeds (for health checks).</summary>
    internal WriteRefusal Refusal => refusal;

    /// <summary>The options the ledger was opened with.</summary>
    public LedgerOptions Options => options;

    /// <summary>
    /// Opens (creating if needed) the ledger named by <see cref="LedgerOptions.Prefix"/>,
    /// recovering its files after a crash.
    /// </summary>
    /// <param name="db">The database that owns the ledger.</param>
    /// <param name="options">The ledger's options.</param>
    /// <returns>The open ledger.</returns>
    /// <exception cref="ArgumentException">The prefix is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LedgerOptions.Cache"/> or <see cref="LedgerOptions.Limit"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">A store with the same prefix is open on <paramref name="db"/>.</exception>
    /// <exception cref="CorruptionException">A file fails validation in a way recovery cannot repair.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="db"/> is disposed.</exception>
    public static Ledger Open(Db db, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        StoreNames.Validate(options.Prefix, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Cache, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit, nameof(options));

        return db.OpenStore(options.Prefix, () =>
        {
            string directory = Path.Combine(db.Directory, StoreNames.Ledger(options.Prefix));
            SegmentLog log = SegmentLog.Open(db.StoreContext(directory), options.Prefix, db.Options.SegmentSize);
            Log.LedgerOpened(db.Logger, options.Prefix, log.SegmentCount, log.Length, log.Head, log.Tail);
            return new Ledger(db, options, log);
        });
    }

    /// <summary>The number of live entries.</summary>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public long Length
    {
        get
        {
            using CallGate.Scope call = gate.Enter();
            return log.Length;
        }
    }

    /// <summary>The last written sequence (0 if never written); survives reopen and full deletion.</summary>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public ulong Head
    {
        get
        {
            using CallGate.Scope call = gate.Enter();
            return log.Head;
        }
    }

    /// <summary>The last deleted sequence (0 if none); survives reopen.</summary>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public ulong Tail
    {
        get
        {
            using CallGate.Scope call = gate.Enter();
            return log.Tail;
        }
    }

    /// <summary>
    /// Appends the entries atomically: all of them or none, also across a crash. Checks run in
    /// this order: payload size, <see cref="LedgerOptions.Limit"/>, monotonicity; nothing is
    /// written when one fails. With <see cref="DbOptions.SyncWrites"/> the entries are durable on
    /// return. The caller may reuse its payload buffers as soon as this returns. No entries: no-op.
    /// </summary>
    /// <param name="entries">Entries with strictly increasing sequences, the first above <see cref="Head"/>.</param>
    /// <exception cref="ArgumentException">A payload is longer than <see cref="MaxPayloadLength"/>, or the batch encodes to 2 GiB or more.</exception>
    /// <exception cref="LimitReachedException">Length plus the entry count would exceed the limit.</exception>
    /// <exception cref="NotMonotonicException">The sequences are not strictly increasing, or the first is not above Head.</exception>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public void Write(params ReadOnlySpan<Entry> entries)
    {
        using CallGate.Scope call = gate.Enter();
        if (entries.IsEmpty)
        {
            return;
        }

        long encodedLength = SegmentLog.MeasureBatch(entries); // payload sizes: the first check
        lock (writeLock)
        {
            if (options.Limit > 0 && log.Length + entries.Length > options.Limit)
            {
                throw new LimitReachedException($"Writing {entries.Length} entries would make ledger '{options.Prefix}' longer than its limit of {options.Limit} (length {log.Length}).");
            }

            CheckMonotonic(entries, log.Head);
            try
            {
                log.Append(entries, encodedLength);
            }
            catch (Exception error) when (refusal.Record(error))
            {
                throw; // never reached: Record only observes
            }

            refusal.Accepted();
            RecordWrite(entries);
            cache?.Add(entries);
            Notify(entries[^1].Sequence);
        }
    }

    private void RecordWrite(ReadOnlySpan<Entry> entries)
    {
        if (QuasarMetrics.EntriesWritten.Enabled || QuasarMetrics.BytesWritten.Enabled || QuasarMetrics.WriteBatches.Enabled)
        {
            long bytes = 0;
            foreach (Entry entry in entries)
            {
                bytes += entry.Payload.Length;
            }

            KeyValuePair<string, object?> tag = QuasarMetrics.LedgerTag(options.Prefix);
            QuasarMetrics.EntriesWritten.Add(entries.Length, tag);
            QuasarMetrics.BytesWritten.Add(bytes, tag);
            QuasarMetrics.WriteBatches.Add(1, tag);
        }
    }

    // Fully optimised at its first call: its loop checks every entry
    // (why: SegmentEntryDecoder.Decode; with Segment.Append, W1 cold 2.85 M -> 4.04 M entries/s).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckMonotonic(ReadOnlySpan<Entry> entries, ulong head)
    {
        ulong previous = head;
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].Sequence <= previous)
            {
                throw new NotMonotonicException(i == 0
                    ? $"Entry 0 has sequence {entries[i].Sequence}, which is not above the head {head} of ledger '{options.Prefix}'."
                    : $"Entry {i} has sequence {entries[i].Sequence}, which is not above the previous entry's {previous}.");
            }

            previous = entries[i].Sequence;
        }
    }

    private void Notify(ulong newHead)
    {
        foreach (ChannelWriter<ulong> subscriber in Volatile.Read(ref subscribers))
        {
            subscriber.TryWrite(newHead);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="amount"/> entries from and including <paramref name="sequence"/>
    /// (or from the first live entry after it). Served from the cache when it holds the start;
    /// cached entries carry the <see cref="Entry.Object"/> they were written with.
    /// </summary>
    /// <param name="sequence">The first sequence wanted.</param>
    /// <param name="amount">The most entries to return (at least 1).</param>
    /// <returns>The entries in sequence order; empty when none lies at or after <paramref name="sequence"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is less than 1.</exception>
    /// <exception cref="CorruptionException">An entry on disk fails its checksum; names file and offset.</exception>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public IReadOnlyList<Entry> Read(ulong sequence, int amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, 1);
        using CallGate.Scope call = gate.Enter();
        ulong tail = log.Tail;
        if (sequence <= tail)
        {
            if (tail == ulong.MaxValue)
            {
                return [];
            }

            sequence = tail + 1;
        }

        // Head before the cache: Write publishes in the log before it adds to the cache.
        if (cache is null || !cache.TryRead(sequence, amount, log.Head, out List<Entry>? entries))
        {
            entries = new List<Entry>(Math.Min(amount, 1024));
            log.Read(sequence, amount, entries);
        }

        QuasarMetrics.EntriesRead.Add(entries.Count, QuasarMetrics.LedgerTag(options.Prefix));
        return entries;
    }

    /// <summary>
    /// The sequence at a position among the live entries: 0 is the oldest, -1 the newest.
    /// Out of range (or empty): <c>(Head, false)</c>.
    /// </summary>
    /// <param name="index">The position; negative counts back from the newest.</param>
    /// <returns>The sequence and whether the position exists.</returns>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public (ulong Sequence, bool Found) Index(long index)
    {
        using CallGate.Scope call = gate.Enter();
        while (true)
        {
            // A delete between reading Length and resolving the position shifts every position, so
            // an index from the newest would name another entry (or none). Tail only grows: if it
            // is unchanged, no delete came between; otherwise resolve the index again.
            ulong tail = log.Tail;
            long position = index < 0 ? log.Length + index : index;
            bool found = log.TryGetSequenceAt(position, out ulong sequence);
            if (index >= 0 || log.Tail == tail)
            {
                return found ? (sequence, true) : (log.Head, false);
            }
        }
    }

    /// <summary>
    /// Removes every entry at or below <paramref name="sequence"/> (never beyond Head). When the
    /// ledger is not empty and <c>min(sequence, Head) &gt; Tail</c>, Tail becomes that value even if
    /// no entry lay in between; otherwise nothing changes. Durable on return with
    /// <see cref="DbOptions.SyncWrites"/>.
    /// </summary>
    /// <param name="sequence">The last sequence to delete.</param>
    /// <returns>How many entries were removed.</returns>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public long Delete(ulong sequence)
    {
        using CallGate.Scope call = gate.Enter();
        lock (writeLock)
        {
            ulong newTail = Math.Min(sequence, log.Head);
            if (log.Length == 0 || newTail <= log.Tail)
            {
                return 0;
            }

            long removed = refusal.Write(() => log.Delete(newTail));
            cache?.TrimThrough(newTail);
            return removed;
        }
    }

    /// <summary>
    /// Throws when the ledger is disposed. Producers, consumers and cleaners call it before they
    /// start, so a disposed ledger is refused at their construction instead of failing later in
    /// their loop (or, for a consumer, after it stored its start position).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    internal void ThrowIfDisposed()
    {
        using CallGate.Scope call = gate.Enter();
    }

    /// <summary>
    /// The newest live entry to delete so that the entries after it hold at most
    /// <paramref name="maxBytes"/> bytes of segment data (payloads plus their per-entry framing,
    /// from the index's offsets); false when they fit already.
    /// </summary>
    internal bool TryGetLastToDropForBytes(long maxBytes, out ulong sequence)
    {
        using CallGate.Scope call = gate.Enter();
        lock (writeLock)
        {
            return log.TryGetLastToDropForBytes(maxBytes, out sequence);
        }
    }

    /// <summary>The number of live entries with a sequence above <paramref name="sequence"/>.</summary>
    internal long CountAfter(ulong sequence)
    {
        using CallGate.Scope call = gate.Enter();
        lock (writeLock)
        {
            return log.CountAfter(sequence);
        }
    }

    /// <summary>
    /// Sends the new Head to <paramref name="receiver"/> after every write with
    /// <see cref="ChannelWriter{T}.TryWrite"/>: a full receiver misses the notification and never
    /// blocks the writer. Subscribing the same receiver twice is the same as once.
    /// </summary>
    /// <param name="receiver">The channel to notify.</param>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public void Subscribe(ChannelWriter<ulong> receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        using CallGate.Scope call = gate.Enter();
        lock (gate)
        {
            if (Array.IndexOf(subscribers, receiver) < 0)
            {
                Volatile.Write(ref subscribers, [.. subscribers, receiver]);
            }
        }
    }

    /// <summary>Stops notifying <paramref name="receiver"/>; unknown receivers are ignored.</summary>
    /// <param name="receiver">The channel to stop notifying.</param>
    /// <exception cref="ObjectDisposedException">The ledger is disposed.</exception>
    public void Unsubscribe(ChannelWriter<ulong> receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        using CallGate.Scope call = gate.Enter();
        lock (gate)
        {
            Volatile.Write(ref subscribers, Array.FindAll(subscribers, s => !ReferenceEquals(s, receiver)));
        }
    }

    /// <summary>Makes everything written and deleted so far durable.</summary>
    void IStore.Sync()
    {
        using CallGate.Scope call = gate.Enter();
        lock (writeLock)
        {
            refusal.Sync(log.Sync);
        }
    }

    /// <summary>
    /// Waits for calls in flight, then syncs and closes the ledger's files and releases its prefix
    /// (it may be opened again on the same database). Idempotent; later calls throw
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => db.CloseStore(this, gate, options.Prefix, () =>
    {
        lock (writeLock)
        {
            log.Dispose();
        }

        cache?.Clear();
    });
}
