using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W7: concurrent durable writers; runs on engines with the <see cref="IConcurrentDurableWorkload"/> capability.</summary>
public sealed class W7ConcurrentDurable : Workload
{
    /// <summary>Concurrent writers (BENCH.md: 64 tasks, as request handlers of a web service).</summary>
    public const int Writers = 64;

    /// <inheritdoc />
    public override string Name => "W7";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("msgs_per_s", true, "msgs/s");

    /// <inheritdoc />
    public override int MinimumWarmUpEntries => 10 * Writers;

    /// <inheritdoc />
    public override bool RunsOn(IEngineWorkloads engine) => engine is IConcurrentDurableWorkload;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        if (engine is not IConcurrentDurableWorkload concurrent)
        {
            throw new ArgumentException($"{engine.Name} has no concurrent durable writers: W7 does not run on it", nameof(engine));
        }

        ConcurrentRun run = concurrent.ConcurrentDurable(directory, spec.Entries, Writers);
        metrics["msgs_per_s"] = spec.Entries / run.Elapsed.TotalSeconds;
        metrics["p50_ms"] = run.P50Ms;
        metrics["p99_ms"] = run.P99Ms;
        metrics["max_ms"] = run.MaxMs;
        foreach ((string name, double value) in run.Extra)
        {
            metrics[name] = value;
        }

        return run.Elapsed;
    }
}
