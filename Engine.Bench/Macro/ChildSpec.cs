using System.Globalization;

namespace Quasar.Bench.Macro;

/// <summary>What one child process measures: one workload on one engine in its own directory.</summary>
public sealed record ChildSpec(string Workload, string Engine, int Entries, string Directory, int Reads, int Seed)
{
    /// <summary>Cold mode: no warm-up, the workload runs once in a fresh process (BENCH.md "Warm and cold").</summary>
    public bool Cold { get; init; }

    /// <summary>
    /// A loader child: only creates the loaded store of W3/W4/W6 for the cold child that follows,
    /// so that the measured process has not yet compiled a single method of the engine.
    /// </summary>
    public bool LoadOnly { get; init; }

    /// <summary>
    /// The parent's <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> just before it started
    /// this child, or 0. On Linux the timestamp is CLOCK_MONOTONIC, one clock for every process, so
    /// the child can time itself from its own launch to the nanosecond (the start time in
    /// /proc/self/stat, which Process.StartTime reads, has only 10 ms resolution).
    /// </summary>
    public long LaunchedAt { get; init; }

    /// <summary>"cold" or "warm", as result lines and the report print it.</summary>
    public string Start => Cold ? Result.ColdStart : Result.WarmStart;

    /// <summary>The hidden command line: <c>macro-child --workload W1 --engine sqlite --entries N --dir D --reads R --seed S [--cold] [--load-only] [--launched-at T]</c>.</summary>
    public IEnumerable<string> ToArguments()
    {
        string[] arguments =
        [
            ChildRun.Command,
            "--workload", Workload,
            "--engine", Engine,
            "--entries", Entries.ToString(CultureInfo.InvariantCulture),
            "--dir", Directory,
            "--reads", Reads.ToString(CultureInfo.InvariantCulture),
            "--seed", Seed.ToString(CultureInfo.InvariantCulture),
        ];
        IEnumerable<string> flags = [.. Cold ? ["--cold"] : Array.Empty<string>(), .. LoadOnly ? ["--load-only"] : Array.Empty<string>()];
        return LaunchedAt == 0
            ? [.. arguments, .. flags]
            : [.. arguments, .. flags, "--launched-at", LaunchedAt.ToString(CultureInfo.InvariantCulture)];
    }

    public static ChildSpec Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string Required(string name) => Options.Get(args, name) ?? throw new ArgumentException($"macro-child needs {name}");
        return new ChildSpec(
            Required("--workload").ToUpperInvariant(),
            Required("--engine").ToLowerInvariant(),
            int.Parse(Required("--entries"), CultureInfo.InvariantCulture),
            Required("--dir"),
            int.Parse(Options.Get(args, "--reads") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Options.Get(args, "--seed") ?? "42", CultureInfo.InvariantCulture))
        {
            Cold = args.Contains("--cold"),
            LoadOnly = args.Contains("--load-only"),
            LaunchedAt = long.Parse(Options.Get(args, "--launched-at") ?? "0", CultureInfo.InvariantCulture),
        };
    }
}
