using System.Diagnostics;

namespace Quasar.Bench.Macro;

/// <summary>W1-W4 and W6 of BENCH.md against our engine, in one process (the quick form).</summary>
public static class LedgerWorkloads
{
    private const string Prefix = "bench:l";

    public static IEnumerable<Result> Run(string root, int entries, ISet<string> workloads)
    {
        string directory = Path.Combine(root, "ledger-" + Guid.NewGuid().ToString("N"));
        try
        {
            WarmUp(Path.Combine(root, "warmup-" + Guid.NewGuid().ToString("N")));
            if (workloads.Contains("W2"))
            {
                yield return W2DurableAppend(Path.Combine(root, "w2-" + Guid.NewGuid().ToString("N")), 20_000);
            }

            yield return W1Append(directory, entries);
            if (workloads.Contains("W4"))
            {
                yield return W4ColdOpen(directory, entries);
            }

            if (workloads.Contains("W3"))
            {
                yield return W3SequentialRead(directory, entries);
            }

            if (workloads.Contains("W6"))
            {
                yield return W6PointReads(directory, entries, 100_000);
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>
    /// Runs every path often enough on a small store for tiered compilation to promote it, then
    /// gives the background compiler time to finish, so the timed runs measure steady-state code.
    /// </summary>
    private static void WarmUp(string directory)
    {
        for (int round = 0; round < 3; round++)
        {
            Append(directory, 100_000, 1000, sync: false);
            using (var db = Db.Open(directory))
            using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix }))
            {
                for (ulong s = 1; s <= 100_000; s += 1000)
                {
                    _ = ledger.Read(s, 1000);
                    _ = ledger.Read(s, 1);
                }
            }

            TryDelete(directory);
            Thread.Sleep(300);
        }
    }

    private static Result W1Append(string directory, int entries)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        Append(directory, entries, 1000, sync: false);
        double seconds = watch.Elapsed.TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return new Result("W1", "buffered, one Db.Sync at the end", new()
        {
            ["entries_per_s"] = entries / seconds,
            ["mb_per_s"] = entries * (double)BenchPayload.Length / seconds / 1e6,
            ["allocated_bytes_per_entry"] = allocated / (double)entries,
            ["peak_rss_mb"] = Environment.WorkingSet / 1e6,
        });
    }

    private static Result W2DurableAppend(string directory, int entries)
    {
        var watch = Stopwatch.StartNew();
        Append(directory, entries, 10, sync: true);
        double seconds = watch.Elapsed.TotalSeconds;
        TryDelete(directory);
        return new Result("W2", "SyncWrites: fdatasync per write", new()
        {
            ["entries_per_s"] = entries / seconds,
            ["writes_per_s"] = entries / 10 / seconds,
        });
    }

    private static void Append(string directory, int entries, int batch, bool sync)
    {
        using var db = Db.Open(directory, new DbOptions { SyncWrites = sync });
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        var buffer = new byte[batch * BenchPayload.Length];
        var batchEntries = new Entry[batch];
        for (int written = 0; written < entries; written += batch)
        {
            BenchPayload.FillBatch(batchEntries, buffer, (ulong)written + 1);
            ledger.Write(batchEntries);
        }

        db.Sync();
    }

    private static Result W4ColdOpen(string directory, int entries)
    {
        var samples = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var db = Db.Open(directory);
            using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
            samples.Add(watch.Elapsed.TotalMilliseconds);
            if (ledger.Length != entries)
            {
                throw new InvalidOperationException($"W4 opened {ledger.Length} entries, expected {entries}");
            }
        }

        samples.Sort();
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using (var db = Db.Open(directory))
        using (var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix }))
        {
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            return new Result("W4", "page cache warm, JIT excluded", new()
            {
                ["open_ms_median"] = samples[samples.Count / 2],
                ["open_ms_min"] = samples[0],
                ["open_ms_max"] = samples[^1],
                ["managed_bytes_open_ledger"] = heapAfter - heapBefore,
            });
        }
    }

    private static Result W3SequentialRead(string directory, int entries)
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

            read += chunk.Count;
            next = chunk[^1].Sequence + 1;
        }

        double seconds = watch.Elapsed.TotalSeconds;
        if (read != entries)
        {
            throw new InvalidOperationException($"W3 read {read} entries, expected {entries}");
        }

        return new Result("W3", "reopened, Read(seq, 1000)", new() { ["entries_per_s"] = read / seconds });
    }

    private static Result W6PointReads(string directory, int entries, int reads)
    {
        using var db = Db.Open(directory);
        using var ledger = Ledger.Open(db, new LedgerOptions { Prefix = Prefix });
        var random = new Random(42);
        for (int i = 0; i < 1000; i++)
        {
            _ = ledger.Read((ulong)random.Next(1, entries + 1), 1);
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            ulong sequence = (ulong)random.Next(1, entries + 1);
            IReadOnlyList<Entry> one = ledger.Read(sequence, 1);
            if (one.Count != 1 || one[0].Sequence != sequence)
            {
                throw new InvalidOperationException($"W6 read of {sequence} failed");
            }
        }

        return new Result("W6", "warm, Read(random, 1)", new() { ["reads_per_s"] = reads / watch.Elapsed.TotalSeconds });
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
