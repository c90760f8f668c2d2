namespace Quasar.Bench.Micro;

/// <summary>Loads the stores the read benchmarks read from.</summary>
internal static class MicroStores
{
    /// <summary>Writes sequences 1..<paramref name="entries"/> with bench payloads, 1,000 per write, then syncs.</summary>
    public static void Fill(Ledger ledger, int entries)
    {
        var buffer = new byte[1000 * Macro.BenchPayload.Length];
        var batch = new Entry[1000];
        for (int written = 0; written < entries; written += batch.Length)
        {
            Macro.BenchPayload.FillBatch(batch, buffer, (ulong)written + 1);
            ledger.Write(batch);
        }
    }
}
