using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W3: read every entry of the loaded store in order, 1,000 at a time.</summary>
public sealed class W3ReadAll : Workload
{
    /// <inheritdoc />
    public override string Name => "W3";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("entries_per_s", true, "entries/s");

    /// <inheritdoc />
    public override bool LoadsFirst => true;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        TimeSpan elapsed = engine.ReadAll(directory, spec.Entries);
        metrics["entries_per_s"] = spec.Entries / elapsed.TotalSeconds;
        return elapsed;
    }
}
