using System.Globalization;
using System.Text;
using Quasar.Bench.Macro.Workloads;

namespace Quasar.Bench.Macro;

/// <summary>
/// Turns the runs of every (workload, engine) into one aggregated machine-readable line each (the
/// median of every metric over the reps, plus min and max of the headline metric), one ratio line
/// per (workload, peer) and a Markdown table.
/// </summary>
public static class Report
{
    /// <summary>The engine whose ratios are reported against every other.</summary>
    public const string Ours = "quasar";

    /// <summary>The headline metric of each workload, and whether more is better.</summary>
    public static (string Metric, bool HigherIsBetter, string Unit) Headline(string workload) => WorkloadRegistry.Get(workload).Headline;

    /// <summary>Summary of one engine on one workload over its reps.</summary>
    public sealed record Row(string Workload, string Engine, string Mode, int Reps, Dictionary<string, double> Medians, double Min, double Max)
    {
        public double Headline => Medians[Report.Headline(Workload).Metric];
    }

    public static IReadOnlyList<Row> Summarize(IEnumerable<Result> results) =>
        results
            .GroupBy(r => (r.Workload, r.Engine))
            .Select(group =>
            {
                List<Result> runs = group.ToList();
                string headline = Headline(group.Key.Workload).Metric;
                var medians = runs[0].Metrics.Keys.ToDictionary(name => name, name => Median(runs.Select(r => r.Metrics[name])));
                return new Row(group.Key.Workload, group.Key.Engine, runs[0].Mode, runs.Count, medians, runs.Min(r => r.Metrics[headline]), runs.Max(r => r.Metrics[headline]));
            })
            .OrderBy(row => row.Workload, StringComparer.Ordinal)
            .ThenBy(row => row.Engine == Ours ? 0 : 1)
            .ThenBy(row => row.Engine, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>workload=W1 engine=quasar reps=5 entries_per_s=... entries_per_s_min=... entries_per_s_max=... ... mode="..."</c></summary>
    public static string Line(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string headline = Headline(row.Workload).Metric;
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"workload={row.Workload} engine={row.Engine} reps={row.Reps}"));
        foreach ((string name, double value) in row.Medians)
        {
            line.Append(CultureInfo.InvariantCulture, $" {name}={value:0.###}");
            if (name == headline)
            {
                line.Append(CultureInfo.InvariantCulture, $" {name}_min={row.Min:0.###} {name}_max={row.Max:0.###}");
            }
        }

        return line.Append(CultureInfo.InvariantCulture, $" mode=\"{row.Mode}\"").ToString();
    }

    /// <summary>Ours / peer of the medians of the headline metric, one per peer that ran the workload.</summary>
    public static IEnumerable<(string Workload, string Peer, string Metric, double Ratio)> Ratios(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (Row ours in rows.Where(r => r.Engine == Ours))
        {
            foreach (Row peer in rows.Where(r => r.Workload == ours.Workload && r.Engine != Ours))
            {
                yield return (ours.Workload, peer.Engine, Headline(ours.Workload).Metric, ours.Headline / peer.Headline);
            }
        }
    }

    public static string RatioLine((string Workload, string Peer, string Metric, double Ratio) ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"ratio workload={ratio.Workload} ours={Ours} peer={ratio.Peer} metric={ratio.Metric} value={ratio.Ratio:0.###}");

    public static string Markdown(IReadOnlyList<Row> rows, MachineLimits? limits, string header)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ratios = Ratios(rows).ToDictionary(r => (r.Workload, r.Peer), r => r.Ratio);
        var text = new StringBuilder();
        text.AppendLine(header).AppendLine();
        if (limits is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Machine limits: sequential write {limits.WriteMBps:N0} MB/s unsynced, {limits.SyncedWriteMBps:N0} MB/s with one fsync at the end; {limits.SyncsPerSecond:N0} fsyncs/s (4 KiB append + fsync); memcpy {limits.MemcpyMBps:N0} MB/s.").AppendLine();
        }

        text.AppendLine("| Workload | Engine | Median | Range (min..max) | ours/peer | Peak RSS MB | Managed peak MB | Reps | Mode |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (Row row in rows)
        {
            (_, bool higherIsBetter, string unit) = Headline(row.Workload);
            string median = Format(row.Headline) + " " + unit;
            if (row.Workload is "W5" or "W7")
            {
                median += string.Create(CultureInfo.InvariantCulture, $"; latency p50 {row.Medians["p50_ms"]:0.##} ms, p99 {row.Medians["p99_ms"]:0.##} ms, max {row.Medians["max_ms"]:0.##} ms");
            }
            else if (row.Workload == "W1")
            {
                median += string.Create(CultureInfo.InvariantCulture, $" ({row.Medians["mb_per_s"]:0.#} MB/s)");
            }
            else if (row.Workload == "W2")
            {
                median += string.Create(CultureInfo.InvariantCulture, $" ({row.Medians["writes_per_s"]:N0} writes/s)");
            }

            string ratio = row.Engine == Ours
                ? "-"
                : ratios.TryGetValue((row.Workload, row.Engine), out double value)
                    ? string.Create(CultureInfo.InvariantCulture, $"{value:0.00}x{(higherIsBetter ? string.Empty : " (lower is better)")}")
                    : "n/a";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {row.Engine} | {median} | {Format(row.Min)}..{Format(row.Max)} | {ratio} | {row.Medians["peak_rss_mb"]:0} | {row.Medians["managed_peak_mb"]:0} | {row.Reps} | {row.Mode} |");
        }

        return text.ToString();
    }

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
