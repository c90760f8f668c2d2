using BenchmarkDotNet.Attributes;

namespace Quasar.Bench.Micro;

// Ledger.Read of 1 or 1000 entries from a 100,000-entry ledger, served from the ledger's cache
// (LedgerOptions.Cache holds every entry) or from the files (Cache 0; the OS page cache is warm).
// Single reads hop by a prime stride so consecutive reads do not touch neighbours; 1000-entry
// reads walk the ledger in order and wrap. Mean and Allocated are per Read call.
[MemoryDiagnoser]
public class LedgerReadBenchmarks
{
    private const int Entries = 100_000;

    private string directory = string.Empty;
    private Db? db;
    private Ledger? ledger;
    private ulong next = 1;

    [Params(false, true)]
    public bool Cached { get; set; }

    [Params(1, 1000)]
    public int Amount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        directory = BenchDirectory.Create("ledger-read");
        db = Db.Open(directory);
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = "bench", Cache = Cached ? Entries : 0 });
        MicroStores.Fill(ledger, Entries);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        db?.Dispose();
        BenchDirectory.Delete(directory);
    }

    [Benchmark]
    public int Read()
    {
        IReadOnlyList<Entry> entries = ledger!.Read(next, Amount);
        ulong stride = Amount == 1 ? 997UL : (ulong)Amount;
        next = ((next - 1 + stride) % (Entries - (ulong)Amount + 1)) + 1;
        return entries.Count;
    }
}
