using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W6: random point reads of the loaded store (1,000 untimed first, then the timed ones).</summary>
public sealed class W6PointReads : Workload
{
    /// <inheritdoc />
    public override string Name => "W6";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("reads_per_s", true, "reads/s");

    /// <inheritdoc />
    public override bool LoadsFirst => true;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        TimeSpan elapsed = engine.PointReads(directory, spec.Entries, spec.Reads, spec.Seed);
        metrics["reads_per_s"] = spec.Reads / elapsed.TotalSeconds;
        return elapsed;
    }
}
