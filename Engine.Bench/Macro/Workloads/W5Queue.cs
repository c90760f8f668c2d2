using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W5: entries through a queue, producer to named consumer; runs on engines with the <see cref="IQueueWorkload"/> capability.</summary>
public sealed class W5Queue : Workload
{
    /// <inheritdoc />
    public override string Name => "W5";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("msgs_per_s", true, "msgs/s");

    /// <inheritdoc />
    public override bool RunsOn(IEngineWorkloads engine) => engine is IQueueWorkload;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        if (engine is not IQueueWorkload queue)
        {
            throw new ArgumentException($"{engine.Name} has no queue: W5 does not run on it", nameof(engine));
        }

        QueueRun run = queue.RunQueue(directory, spec.Entries);
        TimeSpan elapsed = run.Elapsed;
        metrics["msgs_per_s"] = spec.Entries / elapsed.TotalSeconds;
        metrics["p50_ms"] = run.P50Ms;
        metrics["p99_ms"] = run.P99Ms;
        metrics["max_ms"] = run.MaxMs;
        return elapsed;
    }
}
