namespace Quasar.Bench.Macro.Workloads;

/// <summary>The macro workloads, by name.</summary>
public static class WorkloadRegistry
{
    /// <summary>Every workload, in the order they run.</summary>
    public static IReadOnlyList<Workload> All { get; } =
        [new W1Append(), new W2DurableAppend(), new W3ReadAll(), new W4Open(), new W5Queue(), new W6PointReads(), new W7ConcurrentDurable(), new W9Mirror()];

    /// <summary>The workload named <paramref name="name"/> (W1..W7, W9).</summary>
    /// <exception cref="ArgumentException">No workload has that name.</exception>
    public static Workload Get(string name) =>
        All.FirstOrDefault(w => w.Name == name) ?? throw new ArgumentException($"unknown workload '{name}' (W1..W7, W9)", nameof(name));
}
