using Quasar.Bench.Macro.Engines;

namespace Quasar.Bench.Macro.Workloads;

/// <summary>
/// One macro workload of BENCH.md as the child process measures it on one engine: what it needs
/// before the clock starts, the engine call it times, and the metrics it reports. The child
/// (<see cref="ChildRun"/>) owns what every workload shares: warm-up rounds, the untimed load,
/// the memory probe and the <c>seconds</c> metric.
/// </summary>
public abstract class Workload
{
    /// <summary>The name used by <c>--workloads</c> and in every output line (W1..W9).</summary>
    public abstract string Name { get; }

    /// <summary>The headline metric, whether more is better, and its unit for the report.</summary>
    public abstract (string Metric, bool HigherIsBetter, string Unit) Headline { get; }

    /// <summary>Whether the engine's store is loaded (untimed: 1,000 per write, durable at the end) before <see cref="Measure"/>.</summary>
    public virtual bool LoadsFirst => false;

    /// <summary>Why this workload cannot run on this machine (the runner skips it, saying so), or null.</summary>
    public virtual string? Unavailable => null;

    /// <summary>The fewest entries a warm-up round uses.</summary>
    public virtual int MinimumWarmUpEntries => 10_000;

    /// <summary>Whether <paramref name="engine"/> runs this workload.</summary>
    public virtual bool RunsOn(IEngineWorkloads engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Supports(Name);
    }

    /// <summary>
    /// Runs the workload on <paramref name="engine"/> in <paramref name="directory"/> (loaded when
    /// <see cref="LoadsFirst"/>), adds its metrics and returns the time it measured.
    /// </summary>
    public TimeSpan Measure(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics)
    {
        return Run(engine, spec, directory, metrics);
    }

    /// <summary>What <see cref="Measure"/> does, once its arguments are checked.</summary>
    protected abstract TimeSpan Run(IEngineWorkloads engine, ChildSpec spec, string directory, Dictionary<string, double> metrics);
}
