using System.Diagnostics;
using System.Globalization;
using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Growth;

/// <summary>
/// One W8 measurement in a fresh process: opens the loaded store twice untimed (the JIT and the
/// page cache warm, as W4 measures), then times the third open (Db.Open + Ledger.Open + Length =
/// W4), 1,000 untimed and then <c>reads</c> timed random point reads (W6), and reports peak RSS
/// (from before the timed open), the open descriptors (all, and those on the ledger's files), the
/// mapped files of the ledger, its segment count, and the resident memory at the end split into
/// private (rss_anon_mb) and mapped file pages (rss_file_mb). Prints one <c>result</c> line.
/// </summary>
public static class GrowthChild
{
    public const string Command = "growth-child";

    public static int Run(string[] args)
    {
        string directory = args[0];
        int entries = int.Parse(args[1], CultureInfo.InvariantCulture);
        int reads = int.Parse(args[2], CultureInfo.InvariantCulture);
        for (int round = 0; round < 2; round++)
        {
            _ = Open(directory, entries, out Db db, out Ledger ledger);
            ledger.Dispose();
            db.Dispose();
        }

        var metrics = new Dictionary<string, double>();
        using MemoryProbe probe = MemoryProbe.Start();
        TimeSpan open = Open(directory, entries, out Db opened, out Ledger reader);
        using (opened)
        using (reader)
        {
            metrics["size"] = entries;
            metrics["open_ms"] = open.TotalMilliseconds;
            metrics["reads_per_s"] = reads / QuasarEngine.TimedPointReads(reader, entries, reads, seed: 8).TotalSeconds;
            string ledgerDirectory = Directory.GetDirectories(directory, "ledger-*").Single();
            metrics["segments"] = Directory.GetFiles(ledgerDirectory, "*.seg").Length;
            metrics["open_fds"] = Directory.GetFiles("/proc/self/fd").Length;
            metrics["ledger_fds"] = CountTargetsIn("/proc/self/fd", ledgerDirectory);
            metrics["ledger_mapped_files"] = File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/', StringComparison.Ordinal) is int at and >= 0 ? l[at..] : "")
                .Where(p => p.StartsWith(ledgerDirectory + "/", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Count();
            foreach (string line in File.ReadLines("/proc/self/status").Where(l => l.StartsWith("RssAnon:", StringComparison.Ordinal) || l.StartsWith("RssFile:", StringComparison.Ordinal)))
            {
                // Private memory vs. file pages mapped in (the page cache behind the sealed data's mappings).
                string[] parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                metrics[parts[0] == "RssAnon:" ? "rss_anon_mb" : "rss_file_mb"] = double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024;
            }

            probe.Stop(metrics);
        }

        var result = new Result("W8", $"default options (MaxOpenSegments {new DbOptions().MaxOpenSegments}), open warm, Read(random, 1)", metrics) { Engine = "quasar" };
        Console.Out.WriteLine($"result {result}");
        return 0;
    }

    private static TimeSpan Open(string directory, int entries, out Db db, out Ledger ledger)
    {
        var watch = Stopwatch.StartNew();
        db = Db.Open(directory);
        ledger = Ledger.Open(db, new LedgerOptions { Prefix = GrowthLoad.Prefix });
        long length = ledger.Length;
        TimeSpan elapsed = watch.Elapsed;
        return length == entries ? elapsed : throw new InvalidOperationException($"W8 opened {length} entries, expected {entries}");
    }

    private static int CountTargetsIn(string fdDirectory, string directory) =>
        Directory.GetFiles(fdDirectory).Count(fd => new FileInfo(fd).LinkTarget is { } target && target.StartsWith(directory + "/", StringComparison.Ordinal));
}
