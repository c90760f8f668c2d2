using Quasar.Bench.Macro.Engines;
using Quasar.Bench.Macro.Nats;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>
/// W9: entries to a local NATS JetStream server (started by the child, stopped by its pid) -
/// quasar through its <c>LedgerMirror</c>, the <c>nats</c> engine as a plain NATS.Net publisher
/// (the ceiling); runs on engines with the <see cref="IMirrorWorkload"/> capability.
/// </summary>
public sealed class W9Mirror : Workload
{
    /// <inheritdoc />
    public override string Name => "W9";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("msgs_per_s", true, "msgs/s");

    /// <inheritdoc />
    public override string? Unavailable => BenchNatsServer.Unavailable;

    /// <inheritdoc />
    public override bool RunsOn(IEngineWorkloads engine) => engine is IMirrorWorkload;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        if (engine is not IMirrorWorkload mirror)
        {
            throw new ArgumentException($"{engine.Name} cannot publish to NATS: W9 does not run on it", nameof(engine));
        }

        LatencyRun run;
        using (BenchNatsServer server = BenchNatsServer.Start(Path.Combine(directory, "nats")))
        {
            run = mirror.Mirror(directory, spec.Entries, server.Url);
        }

        metrics["msgs_per_s"] = spec.Entries / run.Elapsed.TotalSeconds;
        metrics["p50_ms"] = run.P50Ms;
        metrics["p99_ms"] = run.P99Ms;
        metrics["max_ms"] = run.MaxMs;
        return run.Elapsed;
    }
}
