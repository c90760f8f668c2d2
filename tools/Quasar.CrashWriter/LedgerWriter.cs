using System.Diagnostics;
using System.Globalization;

namespace Quasar.CrashWriter;

/// <summary>
/// The ledger mode, the child of Engine.Tests' Recovery/CrashTests.cs. It opens the ledger with
/// durable writes (unless the fourth argument is <c>nosync</c>) and a tiny segment size, then writes
/// batches of 1..<see cref="CrashProtocol.MaxBatch"/> entries, resuming after Head, and now and then
/// deletes, until the test kills it. It reports each returned Write and Delete
/// (<see cref="CrashProtocol.Written"/>, <see cref="CrashProtocol.Deleted"/>); payloads name their
/// batch (<see cref="CrashProtocol.Payload"/>).
/// </summary>
internal static class LedgerWriter
{
    /// <summary>Runs the mode with <c>&lt;db directory&gt; &lt;prefix&gt; &lt;seed&gt; [sync|nosync]</c>; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length is < 3 or > 4
            || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)
            || (args.Length == 4 && args[3] is not (CrashProtocol.Sync or CrashProtocol.NoSync)))
        {
            Console.Error.WriteLine("usage: " + CrashProtocol.LedgerUsage);
            return 2;
        }

        bool syncWrites = args.Length == 3 || args[3] == CrashProtocol.Sync;

        using Stream stdout = Console.OpenStandardOutput();
        var random = new Random(seed);
        using var db = Db.Open(args[0], new DbOptions { SyncWrites = syncWrites, SegmentSize = CrashProtocol.SegmentSize });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = args[1] });
        CrashProtocol.Emit(stdout, CrashProtocol.LedgerReady(ledger.Head, ledger.Tail, ledger.Length));

        // A safety net only: the test kills the child within a second of this point.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (random.Next(8) == 0 && ledger.Length > 0)
            {
                ulong head = ledger.Head;
                ulong tail = ledger.Tail;
                ulong target = random.Next(4) == 0 ? head : tail + 1 + (ulong)random.NextInt64((long)(head - tail));
                ledger.Delete(target);
                CrashProtocol.Emit(stdout, CrashProtocol.Deleted(target));
                continue;
            }

            int count = random.Next(1, CrashProtocol.MaxBatch + 1);
            ulong first = ledger.Head + 1;
            ledger.Write(CrashProtocol.Batch(first, count));
            CrashProtocol.Emit(stdout, CrashProtocol.Written(first, first + (ulong)count - 1));
        }

        Console.Error.WriteLine("Quasar.CrashWriter: not killed within a minute; exiting.");
        return 3;
    }
}
