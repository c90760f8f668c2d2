using System.Threading.Channels;

namespace Quasar.Bench.Macro.Engines;

// Our engine's W7 (the IConcurrentDurableWorkload capability): many tasks awaiting WriteAsync on one producer.
public sealed partial class QuasarEngine : IConcurrentDurableWorkload
{
    /// <summary>
    /// W7: one <see cref="Producer"/> (Batch = writers, Timeout 0) on a database with SyncWrites;
    /// every writer awaits <see cref="Producer.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>,
    /// which assigns the sequence. The producer's loop writes whatever is queued as one
    /// <see cref="Ledger.Write"/> (one write and one fdatasync): group commit. Reports the number
    /// of ledger writes as <c>syncs</c>, counted through <see cref="Ledger.Subscribe"/> (one
    /// notification per write).
    /// </summary>
    public ConcurrentRun ConcurrentDurable(string directory, int entries, int writers)
    {
        byte[][] payloads = ConcurrentWriters.PayloadBuffers(writers);

        using var db = Db.Open(directory, new DbOptions { SyncWrites = true });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        Channel<ulong> writes = Channel.CreateUnbounded<ulong>(new UnboundedChannelOptions { SingleReader = true });
        ledger.Subscribe(writes.Writer);
        Producer producer = new(ledger, new ProducerOptions { Batch = writers, Timeout = TimeSpan.Zero });
        ConcurrentRun run;
        try
        {
            run = ConcurrentWriters.OnTasks(entries, writers, (writer, ticket) =>
            {
                byte[] payload = payloads[writer];
                BenchPayload.Write(payload, (ulong)ticket);
                return producer.WriteAsync(payload);
            });
        }
        finally
        {
            producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        int syncs = 0;
        while (writes.Reader.TryRead(out _))
        {
            syncs++;
        }

        VerifyConcurrent(ledger, entries);
        run.Extra["syncs"] = syncs;
        run.Extra["entries_per_sync"] = entries / (double)syncs;
        return run;
    }

    private static void VerifyConcurrent(Ledger ledger, int entries)
    {
        var tickets = new WrittenTickets(entries);
        ulong next = 1; // Read starts at the first live entry at or after it
        while (true)
        {
            IReadOnlyList<Entry> chunk = ledger.Read(next, 1000);
            if (chunk.Count == 0)
            {
                break;
            }

            foreach (Entry entry in chunk)
            {
                tickets.Add(entry.Sequence, entry.Payload.Span);
            }

            next = chunk[^1].Sequence + 1;
        }

        tickets.ThrowIfIncomplete();
        if (ledger.Length != entries)
        {
            throw new InvalidOperationException($"W7: the ledger holds {ledger.Length} entries, {entries} were written");
        }
    }
}
