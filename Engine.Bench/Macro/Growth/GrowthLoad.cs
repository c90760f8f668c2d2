using System.Diagnostics;
using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Growth;

/// <summary>W8's untimed load: <c>entries</c> bench payloads, <c>batch</c> per write, one Db.Sync at the end.</summary>
public static class GrowthLoad
{
    /// <summary>The ledger prefix W8 uses.</summary>
    public const string Prefix = "bench:l";

    /// <summary>
    /// Loads the store. A batch of 1,000 uses the default 64 MiB segments; a smaller batch gets
    /// a segment of its own per write (the segment size is set just below one batch), which is
    /// how W8's "many small segments" run is built.
    /// </summary>
    public static TimeSpan Load(string directory, int entries, int batch)
    {
        var watch = Stopwatch.StartNew();
        long segmentSize = batch >= 1000 ? new DbOptions().SegmentSize : (long)batch * (BenchPayload.Length + 16);
        using var db = Db.Open(directory, new DbOptions { SegmentSize = segmentSize });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        QuasarEngine.WriteSequences(ledger, entries, batch);
        db.Sync();
        return watch.Elapsed;
    }
}
