using System.Diagnostics;

namespace Quasar.Bench.Macro.Engines;

/// <summary>Our engine: one <see cref="Ledger"/> (W1-W4, W6; this file) or a <see cref="Queue"/> (W5, QuasarEngine.Queue.cs).</summary>
public sealed partial class QuasarEngine : IEngineWorkloads
{
    private const string Prefix = "bench:l";

    public string Name => "quasar";

    public bool Supports(string workload) => workload is "W1" or "W2" or "W3" or "W4" or "W6";

    public string Mode(string workload) => workload switch
    {
        "W1" => "SyncWrites off, one Db.Sync at the end; no compression",
        "W2" => "SyncWrites on: fdatasync per Ledger.Write of 10",
        "W3" => "reopened (page cache warm), Cache 0, Read(seq, 1000)",
        "W4" => "Db.Open + Ledger.Open (Cache 0) + Length, page cache warm",
        "W5" => "Queue, SyncWrites off, producer Batch 2500 -> named consumer Window 5000, Skip 2500",
        "W6" => "reopened (page cache warm), Cache 0, Read(random, 1)",
        "W7" => "one Producer (Batch = writers, Timeout 0) with SyncWrites; tasks await WriteAsync(payload), which assigns the sequence; each batch is one Ledger.Write: one write + one fdatasync (group commit)",
        "W9" => "Ledger.Write of 1,000 (SyncWrites off), at most 1,024 entries unacknowledged before the next; LedgerMirror Window 1,024 to a file stream on a loopback nats-server; latency from the Write's return to the mirror's handling of the ack",
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, null),
    };

    public TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite)
    {
        var watch = Stopwatch.StartNew();
        using var db = Db.Open(directory, new DbOptions { SyncWrites = durableEachWrite });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        WriteSequences(ledger, entries, batch);
        db.Sync();
        return watch.Elapsed;
    }

    /// <summary>Appends 1..<paramref name="entries"/> of bench payloads, <paramref name="batch"/> per <see cref="Ledger.Write"/> (W1/W2, every load, W8's load).</summary>
    internal static void WriteSequences(Ledger ledger, int entries, int batch)
    {
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        for (int written = 0; written < entries; written += batch)
        {
            if (entries - written < batch)
            {
                batchEntries = new Entry[entries - written];
            }

            BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
            ledger.Write(batchEntries);
        }
    }

    public TimeSpan Open(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        ulong head = ledger.Head;
        long length = ledger.Length;
        TimeSpan elapsed = watch.Elapsed;
        if (length != entries || head != (ulong)entries)
        {
            throw new InvalidOperationException($"W4 opened {length} entries up to {head}, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan ReadAll(string directory, int entries)
    {
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        var watch = Stopwatch.StartNew();
        long read = 0;
        ulong next = 1;
        while (true)
        {
            IReadOnlyList<Entry> chunk = ledger.Read(next, 1000);
            if (chunk.Count == 0)
            {
                break;
            }

            for (int i = 0; i < chunk.Count; i++)
            {
                BenchPayload.Verify(chunk[i].Payload.Span, next + (ulong)i);
            }

            read += chunk.Count;
            next = chunk[^1].Sequence + 1;
        }

        TimeSpan elapsed = watch.Elapsed;
        if (read != entries)
        {
            throw new InvalidOperationException($"W3 read {read} entries, expected {entries}");
        }

        return elapsed;
    }

    public TimeSpan PointReads(string directory, int entries, int reads, int seed)
    {
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        return TimedPointReads(ledger, entries, reads, seed);
    }

    /// <summary>1,000 untimed, then <paramref name="reads"/> timed random <c>Read(sequence, 1)</c> over 1..<paramref name="entries"/>, each verified (W6, W8).</summary>
    internal static TimeSpan TimedPointReads(Ledger ledger, int entries, int reads, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 1000; i++)
        {
            ReadOne(ledger, (ulong)random.Next(1, entries + 1));
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ReadOne(ledger, (ulong)random.Next(1, entries + 1));
        }

        return watch.Elapsed;
    }

    private static void ReadOne(Ledger ledger, ulong sequence)
    {
        IReadOnlyList<Entry> one = ledger.Read(sequence, 1);
        if (one.Count != 1 || one[0].Sequence != sequence)
        {
            throw new InvalidOperationException($"point read of {sequence} failed");
        }

        BenchPayload.Verify(one[0].Payload.Span, sequence);
    }
}
