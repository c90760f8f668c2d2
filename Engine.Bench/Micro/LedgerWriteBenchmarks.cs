using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// Ledger.Write with SyncWrites off, 1, 100 or 1000 entries of 100 bytes per call. Every
// invocation writes 1,000 entries in 1000 / EntriesPerCall calls, so the reported Mean and
// Allocated are PER ENTRY, comparable across the batch sizes. Each iteration starts on a fresh,
// empty ledger (IterationSetup) with ever-increasing sequences and deletes it afterwards, so the
// disk never holds more than one iteration's 256,000 entries (about 30 MB).
[MemoryDiagnoser]
[InvocationCount(256)]
public class LedgerWriteBenchmarks
{
    private const int EntriesPerInvoke = 1000;

    private byte[] payloads = [];
    private Entry[] batch = [];
    private string directory = string.Empty;
    private Db? db;
    private Ledger? ledger;
    private ulong next;

    [Params(1, 100, 1000)]
    public int EntriesPerCall { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        payloads = new byte[EntriesPerCall * Macro.BenchPayload.Length];
        batch = new Entry[EntriesPerCall];
        Macro.BenchPayload.FillBatch(batch, payloads, 1);
    }

    [IterationSetup]
    public void OpenFresh()
    {
        directory = BenchDirectory.Create("ledger-write");
        db = Db.Open(directory, new DbOptions { SyncWrites = false });
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = "bench" });
        next = 1;
    }

    [IterationCleanup]
    public void CloseAndDelete()
    {
        db?.Dispose();
        BenchDirectory.Delete(directory);
    }

    [Benchmark(OperationsPerInvoke = EntriesPerInvoke)]
    public ulong Write()
    {
        Ledger target = ledger!;
        Entry[] entries = batch;
        for (int call = 0; call < EntriesPerInvoke / EntriesPerCall; call++)
        {
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = entries[i] with { Sequence = next++ };
            }

            target.Write(entries);
        }

        return next;
    }
}
