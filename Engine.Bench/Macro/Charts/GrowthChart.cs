namespace Quasar.Bench.Macro.Charts;

/// <summary>
/// W8's chart, <c>growth.svg</c>: each cost at every ledger size divided by the same cost at the
/// smallest size, so one axis holds milliseconds, reads, megabytes and descriptors, and issue 13's
/// targets read off directly (open and RSS within 2x, point reads within 1.5x from 1 M to 100 M).
/// Point reads are turned round (reads/s at the smallest size / reads/s here) so that up is worse
/// for every line. Runs with many small segments are left out: their size is not comparable.
/// </summary>
public static class GrowthChart
{
    private static readonly (string Metric, string Name, bool Inverse)[] Costs =
    [
        ("open_ms", "open", false),
        ("reads_per_s", "point read", true),
        ("peak_rss_mb", "peak RSS", false),
        ("rss_anon_mb", "private RSS", false),
        ("ledger_fds", "descriptors", false),
    ];

    /// <summary>Writes <c>growth.svg</c> into <paramref name="directory"/> from W8's result lines; returns its path.</summary>
    public static string Write(string directory, IReadOnlyList<Result> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Result[] bySize = [.. results.OrderBy(r => r.Metrics["size"])];
        Result smallest = bySize[0];
        LineSeries[] series =
        [
            .. Costs.Where(c => bySize.All(r => r.Metrics.ContainsKey(c.Metric) && r.Metrics[c.Metric] > 0))
                .Select(c => new LineSeries(c.Name, [.. bySize.Select(r => (r.Metrics["size"], Relative(r, smallest, c.Metric, c.Inverse)))])),
        ];
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "growth.svg");
        LineChart.Render("W8: cost as the ledger grows (1 = the smallest size)", "entries in the ledger", "cost / cost at the smallest size (log)", series, logY: true).Save(path);
        return path;
    }

    private static double Relative(Result at, Result smallest, string metric, bool inverse) =>
        inverse ? smallest.Metrics[metric] / at.Metrics[metric] : at.Metrics[metric] / smallest.Metrics[metric];
}
