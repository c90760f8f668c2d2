using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W2: append every entry, 10 per write, each write durable before the next.</summary>
public sealed class W2DurableAppend : Workload
{
    /// <summary>Entries per write.</summary>
    public const int Batch = 10;

    /// <inheritdoc />
    public override string Name => "W2";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("entries_per_s", true, "entries/s");

    /// <inheritdoc />
    public override int MinimumWarmUpEntries => 100;

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        int entries = spec.Entries;
        TimeSpan elapsed = engine.Append(directory, entries, Batch, durableEachWrite: true);
        metrics["entries_per_s"] = entries / elapsed.TotalSeconds;
        metrics["writes_per_s"] = entries / (double)Batch / elapsed.TotalSeconds;
        return elapsed;
    }
}
