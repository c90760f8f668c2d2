using Quasar.Storage;
using Quasar.Tests.Support;
using Xunit.Abstractions;

namespace Quasar.Tests.Inspection;

/// <summary>
/// The checker streams files through a small pipe buffer instead of reading them whole: checking a
/// store of tens of megabytes allocates a small, fixed amount (files, pipes, per-segment records),
/// not anything that grows with the data. The check completes synchronously on local files, so the
/// test thread's allocation counter sees all of it.
/// </summary>
public sealed class ConstantMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int PayloadBytes = 4096;
    private const int Entries = 12_000;
    private const int BufferSize = 4096;

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Checking_a_store_of_tens_of_megabytes_allocates_far_less_than_its_size()
    {
        string db = Path.Combine(temp.Path, "large");
        long storeBytes = Build(db);
        string warmUp = Path.Combine(temp.Path, "small");
        InspectedStore.Build(warmUp);
        Assert.Empty(InspectedStore.Check(warmUp, BufferSize)); // JIT and pools warmed before measuring

        long before = GC.GetAllocatedBytesForCurrentThread();
        int problems = 0;
        foreach (CheckProblem problem in DbInspector.Open(db, BufferSize).Check())
        {
            problems++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"checked {storeBytes:N0} bytes of segment files, allocating {allocated:N0} bytes");
        Assert.Equal(0, problems);
        Assert.True(storeBytes > 40_000_000, $"the store holds only {storeBytes} bytes");
        Assert.True(allocated < storeBytes / 100, $"checking {storeBytes:N0} bytes allocated {allocated:N0} bytes");
    }

    /// <summary>Writes 12,000 entries of 4 KiB in batches of 20 over 8 MiB segments; returns the bytes of segment files.</summary>
    private static long Build(string db)
    {
        byte[] payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        using (var database = Db.Open(db, new DbOptions { SegmentSize = 8 * 1024 * 1024 }))
        using (var ledger = Ledger.Open(database, new LedgerOptions { Prefix = "large" }))
        {
            for (int i = 0; i < Entries; i += 20)
            {
                ledger.Write([.. Enumerable.Range(i + 1, 20).Select(s => new Entry((ulong)s, payload))]);
            }
        }

        return Directory.GetFiles(db, "*.seg", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }
}
