using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Quasar.Bench.Macro.Workloads;

namespace Quasar.Bench.Macro;

/// <summary>
/// The macro workloads of BENCH.md, our engine side by side with its peers.
/// Usage: <c>macro [--quick] [--cold | --both] [--workloads W1,W3] [--engines quasar,fasterlog,sqlite,lmdb,nats] [--reps N] [--dir PATH] [--no-limits] [--svg DIR]</c>.
/// <para>
/// The parent measures the machine's limits, then for each workload runs the engines alternately
/// (rep 1: A B C, rep 2: A B C, ...), every measured run in a fresh child process
/// (<see cref="ChildRun"/>) and a fresh directory, deleted afterwards. It prints one
/// <c>run ...</c> line per child as it finishes, then one aggregated line per (workload, engine),
/// one <c>ratio ...</c> line per peer and a Markdown table.
/// </para>
/// <para>
/// <c>--cold</c> measures cold instead of warm (<see cref="ChildRun"/>: no warm-up; for W3, W4 and
/// W6 a loader child makes the store first, and the measured child then starts with nothing of the
/// engine compiled); <c>--both</c> measures both, warm then cold for each engine in each rep, and
/// reports them side by side. <c>--svg DIR</c> also writes the charts (Charts/) into DIR.
/// </para>
/// </summary>
public static class MacroRunner
{
    private static readonly string[] AllWorkloads = [.. WorkloadRegistry.All.Select(w => w.Name)];
    private static readonly string[] AllEngines = ["quasar", "fasterlog", "sqlite", "lmdb", "nats"];

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        string[] workloads = List(Options.Get(args, "--workloads"), AllWorkloads, upper: true);
        string[] engines = List(Options.Get(args, "--engines"), AllEngines, upper: false);
        string[] starts = args.Contains("--both") ? [Result.WarmStart, Result.ColdStart]
            : args.Contains("--cold") ? [Result.ColdStart]
            : [Result.WarmStart];
        string? svg = Options.Get(args, "--svg");
        int reps = int.Parse(Options.Get(args, "--reps") ?? (quick ? "2" : "5"), CultureInfo.InvariantCulture);
        string root = Options.Get(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "quasar-bench");
        int entries = quick ? 100_000 : 1_000_000;
        int durableEntries = quick ? 2_000 : 20_000;
        int reads = quick ? 20_000 : 100_000;
        int concurrentEntries = quick ? 10_000 : 100_000;
        TimeSpan timeout = quick ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(15);
        if (reps < 1 || workloads.Except(AllWorkloads).Any() || engines.Except(AllEngines).Any())
        {
            Console.Error.WriteLine("usage: macro [--quick] [--cold | --both] [--workloads W1,...,W7,W9] [--engines quasar,fasterlog,sqlite,lmdb,nats] [--reps N] [--dir PATH] [--no-limits] [--svg DIR]");
            return 2;
        }

        Directory.CreateDirectory(root);
        string header = string.Create(
            CultureInfo.InvariantCulture,
            $"# quasar macro benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z; {CpuModel()}, {Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; .NET {Environment.Version}; " +
            $"{entries:N0} entries (W2 {durableEntries:N0}, W6 {reads:N0} reads, W7 {concurrentEntries:N0}, W9 {entries:N0} to nats-server), {reps} rep(s), {string.Join(" and ", starts)}{(quick ? ", quick" : string.Empty)}; command: macro {string.Join(' ', args)}");
        Console.WriteLine(header);

        engines = [.. engines.Where(Runnable)];
        MachineLimits? limits = null;
        if (!args.Contains("--no-limits"))
        {
            limits = MachineLimits.Measure(root);
            Console.WriteLine(limits);
        }

        var results = new List<Result>();
        var total = Stopwatch.StartNew();
        foreach (string workload in workloads)
        {
            if (WorkloadRegistry.Get(workload).Unavailable is string why)
            {
                Console.WriteLine($"# skipping {workload}: {why}");
                continue;
            }

            string[] running = engines.Where(e => WorkloadRegistry.Get(workload).RunsOn(ChildRun.CreateEngine(e))).ToArray();
            for (int rep = 1; rep <= reps; rep++)
            {
                foreach ((string start, string engine) in starts.SelectMany(start => running.Select(engine => (start, engine))))
                {
                    string directory = Path.Combine(root, $"{workload}-{engine}-{start}-{rep}-{Guid.NewGuid():N}");
                    var spec = new ChildSpec(workload, engine, workload switch { "W2" => durableEntries, "W7" => concurrentEntries, _ => entries }, directory, reads, Seed: 42 + rep)
                    {
                        Cold = start == Result.ColdStart,
                    };
                    try
                    {
                        Result result = RunOne(spec, timeout);
                        results.Add(result);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run rep={rep} {result}"));
                    }
                    finally
                    {
                        ChildRun.DeleteDirectory(directory);
                    }
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# all runs took {total.Elapsed.TotalSeconds:0.0} s"));
        PrintReport(results, limits, header.TrimStart('#', ' '), svg);
        return 0;
    }

    /// <summary>
    /// The summary of <paramref name="results"/>: a line per (workload, engine, start), the ratio
    /// lines, the Markdown tables and, with <paramref name="svg"/>, the charts. Used after a run and
    /// by <see cref="SavedRuns"/> for results gathered from several runs' outputs.
    /// </summary>
    public static void PrintReport(IReadOnlyList<Result> results, MachineLimits? limits, string header, string? svg)
    {
        IReadOnlyList<Report.Row> rows = Report.Summarize(results);
        foreach (Report.Row row in rows)
        {
            Console.WriteLine(Report.Line(row));
        }

        foreach (var ratio in Report.Ratios(rows))
        {
            Console.WriteLine(Report.RatioLine(ratio));
        }

        Console.WriteLine();
        Console.WriteLine(Report.Markdown(rows, limits, header));
        if (svg is not null)
        {
            foreach (string file in Charts.ReportCharts.Write(svg, rows))
            {
                Console.WriteLine($"# chart {file}");
            }
        }
    }

    /// <summary>False, saying why on one line, for a peer that cannot run here (LMDB without its native library).</summary>
    private static bool Runnable(string engine)
    {
        string? problem = engine == "lmdb" ? Engines.LmdbNative.Unavailable : null;
        if (problem is not null)
        {
            Console.WriteLine($"# skipping the {engine} peer: {problem}");
        }

        return problem is null;
    }

    /// <summary>
    /// One measured child; in cold mode a workload that needs a loaded store first gets it from a
    /// loader child in the same directory, so the measured process starts with no engine code compiled.
    /// </summary>
    private static Result RunOne(ChildSpec spec, TimeSpan timeout)
    {
        if (spec.Cold && WorkloadRegistry.Get(spec.Workload).LoadsFirst)
        {
            _ = ChildRun.Launch(spec with { LoadOnly = true }, timeout);
        }

        return ChildRun.Launch(spec, timeout);
    }

    private static string[] List(string? option, string[] all, bool upper) =>
        option is null
            ? all
            : option.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => upper ? s.ToUpperInvariant() : s.ToLowerInvariant())
                .Distinct()
                .ToArray();

    private static string CpuModel()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
