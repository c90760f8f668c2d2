using System.Diagnostics;
using System.Globalization;
using Quasar.Bench.Macro.Charts;

namespace Quasar.Bench.Macro.Growth;

/// <summary>
/// W8, cost as the ledger grows (issue 13, deliverable 5): for each size, one ledger is loaded
/// (untimed, W1's way: 1,000 entries of 100 bytes per write, synced at the end), then a fresh
/// child process (<see cref="GrowthChild"/>) opens it and measures W4 (open), W6 (point reads),
/// peak RSS and the descriptors and mappings it holds. On demand only, never in CI:
/// <c>Engine.Bench growth [--sizes 1M,10M,100M] [--segments 100000] [--reads 100000] [--dir D] [--svg DIR]</c>, or <c>growth --from SAVED-OUTPUT --svg DIR</c> to chart an earlier run.
/// <c>--segments N</c> adds a run at N small segments (10 entries each). 100 M entries take about
/// 13 GB of disk; each size's store is deleted after its run. Prints one
/// <c>result workload=W8 ...</c> line per size, with <c>size=</c> the entry count and
/// <c>segments=</c> the segment count; <c>--svg DIR</c> also writes <see cref="GrowthChart"/>.
/// </summary>
public static class GrowthRunner
{
    public const string Command = "growth";

    private const int SmallSegmentEntries = 10;

    public static int Run(string[] args)
    {
        if (Options.Get(args, "--from") is { } saved)
        {
            // Charts the result lines of an earlier run's output instead of measuring again.
            Result[] results = [.. File.ReadLines(saved).Where(l => l.StartsWith("result ", StringComparison.Ordinal) && l.Contains(" segments=", StringComparison.Ordinal)).Select(l => Result.Parse(l["result ".Length..]))];
            Console.WriteLine($"# chart: {GrowthChart.Write(Options.Get(args, "--svg") ?? ".", results)}");
            return 0;
        }

        string sizes = Options.Get(args, "--sizes") ?? "1M,10M,100M";
        int reads = int.Parse(Options.Get(args, "--reads") ?? "100000", CultureInfo.InvariantCulture);
        string root = Options.Get(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "quasar-w8-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var runs = sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => (Entries: ParseCount(s), Batch: 1000)).ToList();
        if (Options.Get(args, "--segments") is { } segments)
        {
            runs.Add((ParseCount(segments) * SmallSegmentEntries, SmallSegmentEntries));
        }

        Console.WriteLine($"# quasar W8 growth {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z; {Environment.ProcessorCount} cores; .NET {Environment.Version}; command: {Command} {string.Join(' ', args)}");
        var bySize = new List<Result>();
        foreach ((int entries, int batch) in runs)
        {
            string directory = Path.Combine(root, $"{entries}-{batch}");
            try
            {
                TimeSpan load = GrowthLoad.Load(directory, entries, batch);
                Console.Error.WriteLine($"# loaded {entries:N0} entries ({batch} per segment-sized write) in {load.TotalSeconds:F1} s");
                string line = Launch(directory, entries, reads);
                Console.WriteLine(line);
                if (batch == 1000)
                {
                    bySize.Add(Result.Parse(line["result ".Length..]));
                }
            }
            finally
            {
                ChildRun.DeleteDirectory(directory);
            }
        }

        ChildRun.DeleteDirectory(root);
        if (Options.Get(args, "--svg") is { } svg && bySize.Count > 0)
        {
            Console.WriteLine($"# chart: {GrowthChart.Write(svg, bySize)}");
        }

        return 0;
    }

    /// <summary>"1M", "10k", "2500" as a count.</summary>
    private static int ParseCount(string text)
    {
        text = text.Trim();
        int scale = char.ToUpperInvariant(text[^1]) switch { 'K' => 1_000, 'M' => 1_000_000, _ => 1 };
        return checked(int.Parse(scale == 1 ? text : text[..^1], CultureInfo.InvariantCulture) * scale);
    }

    private static string Launch(string directory, int entries, int reads)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's executable");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(GrowthRunner).Assembly.Location);
        }

        foreach (string argument in new[] { GrowthChild.Command, directory, entries.ToString(CultureInfo.InvariantCulture), reads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return child.ExitCode == 0
            ? output.Split('\n').Last(l => l.StartsWith("result ", StringComparison.Ordinal)).TrimEnd('\r')
            : throw new InvalidOperationException($"W8 child for {entries} entries exited with {child.ExitCode} (its error is above)");
    }
}
