using System.Buffers.Binary;
using LightningDB;

namespace Quasar.Bench.Macro.Engines;

// LMDB's W7 (the IConcurrentDurableWorkload capability): a thread and a write transaction per write.
public sealed partial class LmdbEngine : IConcurrentDurableWorkload
{
    /// <summary>
    /// W7: one thread per writer, each committing a write transaction of one entry per write with
    /// the default (durable) sync. LMDB runs one write transaction at a time (its writer lock),
    /// so the next sequence is taken inside the transaction: sequences then follow commit order
    /// and MDB_APPEND holds.
    /// </summary>
    public ConcurrentRun ConcurrentDurable(string directory, int entries, int writers)
    {
        byte[][] payloads = ConcurrentWriters.PayloadBuffers(writers);

        using var environment = OpenEnvironment(directory, EnvironmentOpenFlags.None);
        using LightningDatabase database = OpenDatabase(environment);
        ulong lastSequence = 0; // touched only inside write transactions, which LMDB serializes
        ConcurrentRun run = ConcurrentWriters.OnThreads(entries, writers, (writer, ticket) =>
        {
            byte[] payload = payloads[writer];
            BenchPayload.Write(payload, (ulong)ticket);
            Span<byte> key = stackalloc byte[sizeof(ulong)];
            using LightningTransaction transaction = environment.BeginTransaction();
            Put(transaction, database, key, new Entry(++lastSequence, payload));
            Check(transaction.Commit(), "commit");
        });

        VerifyConcurrent(environment, database, entries);
        return run;
    }

    private static void VerifyConcurrent(LightningEnvironment environment, LightningDatabase database, int entries)
    {
        var tickets = new WrittenTickets(entries);
        using LightningTransaction transaction = environment.BeginTransaction(TransactionBeginFlags.ReadOnly);
        using LightningCursor cursor = transaction.CreateCursor(database);
        (MDBResultCode code, MDBValue key, MDBValue value) = cursor.First();
        while (code == MDBResultCode.Success)
        {
            tickets.Add(BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan()), value.AsSpan());
            (code, key, value) = cursor.Next();
        }

        tickets.ThrowIfIncomplete();
    }
}
