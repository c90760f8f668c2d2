namespace Quasar.Bench.Macro.Engines;

/// <summary>A run that timed every entry: its duration and the latency percentiles in milliseconds.</summary>
public readonly record struct LatencyRun(TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>The run's percentiles from per-entry latencies in microseconds (sorts <paramref name="microseconds"/>).</summary>
    public static LatencyRun From(TimeSpan elapsed, int[] microseconds)
    {
        ArgumentNullException.ThrowIfNull(microseconds);
        Array.Sort(microseconds);
        return new LatencyRun(
            elapsed,
            microseconds[microseconds.Length / 2] / 1000.0,
            microseconds[(int)(microseconds.Length * 0.99)] / 1000.0,
            microseconds[^1] / 1000.0);
    }

    /// <summary>Microseconds between two <see cref="System.Diagnostics.Stopwatch"/> timestamps, 0 when <paramref name="to"/> is earlier, capped at int.MaxValue.</summary>
    public static int Microseconds(long from, long to) =>
        (int)Math.Clamp((to - from) * 1e6 / System.Diagnostics.Stopwatch.Frequency, 0, int.MaxValue);
}
