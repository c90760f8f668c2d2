using HdrHistogram;

namespace Quasar.Cli.Demo;

/// <summary>The percentiles the demo reports, in microseconds.</summary>
/// <param name="Count">Latencies recorded.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest.</param>
internal sealed record LatencySummary(long Count, long P50, long P90, long P99, long P999, long Max)
{
    /// <summary>Reads the percentiles off <paramref name="histogram"/> (all zero when it is empty).</summary>
    /// <param name="histogram">Latencies in microseconds.</param>
    /// <returns>The summary.</returns>
    public static LatencySummary Of(HistogramBase histogram) =>
        histogram.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0)
            : new LatencySummary(
                histogram.TotalCount,
                histogram.GetValueAtPercentile(50),
                histogram.GetValueAtPercentile(90),
                histogram.GetValueAtPercentile(99),
                histogram.GetValueAtPercentile(99.9),
                histogram.GetMaxValue());
}
