using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// Ledger.Index on a 100,000-entry ledger (Cache 0): a position from the oldest (hopping by a
// prime stride) and the newest (-1). One lookup is below the timer's resolution, so each
// invocation does 1,000 and the Mean is per lookup.
[MemoryDiagnoser]
public class LedgerIndexBenchmarks
{
    private const int Entries = 100_000;
    private const int Lookups = 1000;

    private string directory = string.Empty;
    private Db? db;
    private Ledger? ledger;
    private long position;

    [GlobalSetup]
    public void Setup()
    {
        directory = BenchDirectory.Create("ledger-index");
        db = Db.Open(directory);
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = "bench" });
        MicroStores.Fill(ledger, Entries);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        db?.Dispose();
        BenchDirectory.Delete(directory);
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public ulong IndexFromOldest()
    {
        Ledger target = ledger!;
        ulong sum = 0;
        for (int i = 0; i < Lookups; i++)
        {
            position = (position + 997) % Entries;
            sum += target.Index(position).Sequence;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public ulong IndexNewest()
    {
        Ledger target = ledger!;
        ulong sum = 0;
        for (int i = 0; i < Lookups; i++)
        {
            sum += target.Index(-1).Sequence;
        }

        return sum;
    }
}
