using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>W1: append every entry, 1,000 per write, made durable once at the end.</summary>
public sealed class W1Append : Workload
{
    /// <summary>Entries per write.</summary>
    public const int Batch = 1000;

    /// <inheritdoc />
    public override string Name => "W1";

    /// <inheritdoc />
    public override (string Metric, bool HigherIsBetter, string Unit) Headline => ("entries_per_s", true, "entries/s");

    /// <inheritdoc />
    protected override TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        int entries = spec.Entries;
        TimeSpan elapsed = engine.Append(directory, entries, Batch, durableEachWrite: false);
        metrics["entries_per_s"] = entries / elapsed.TotalSeconds;
        metrics["mb_per_s"] = entries * (double)BenchPayload.Length / elapsed.TotalSeconds / 1e6;
        return elapsed;
    }
}
