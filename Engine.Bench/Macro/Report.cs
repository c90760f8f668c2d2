using System.Globalization;
using System.Text;
using Quasar.Bench.Macro.Workloads;

namespace Quasar.Bench.Macro;

/// <summary>
/// Turns the runs of every (workload, engine, start) into one aggregated machine-readable line each
/// (the median of every metric over the reps, plus min and max of the headline metric), one ratio
/// line per (workload, peer, start) and a Markdown table per start (warm, cold).
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
        /// <summary><see cref="Result.WarmStart"/> or <see cref="Result.ColdStart"/>.</summary>
        public string Start { get; init; } = Result.WarmStart;

        public double Headline => Medians[Report.Headline(Workload).Metric];
    }

    public static IReadOnlyList<Row> Summarize(IEnumerable<Result> results) =>
        results
            .GroupBy(r => (r.Workload, r.Engine, r.Start))
            .Select(group =>
            {
                List<Result> runs = group.ToList();
                string headline = Headline(group.Key.Workload).Metric;
                var medians = runs[0].Metrics.Keys.ToDictionary(name => name, name => Median(runs.Select(r => r.Metrics[name])));
                return new Row(group.Key.Workload, group.Key.Engine, runs[0].Mode, runs.Count, medians, runs.Min(r => r.Metrics[headline]), runs.Max(r => r.Metrics[headline]))
                {
                    Start = group.Key.Start,
                };
            })
            .OrderBy(row => row.Start == Result.WarmStart ? 0 : 1)
            .ThenBy(row => row.Workload, StringComparer.Ordinal)
            .ThenBy(row => row.Engine == Ours ? 0 : 1)
            .ThenBy(row => row.Engine, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>workload=W1 engine=quasar start=warm reps=5 entries_per_s=... entries_per_s_min=... entries_per_s_max=... ... mode="..."</c></summary>
    public static string Line(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string headline = Headline(row.Workload).Metric;
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"workload={row.Workload} engine={row.Engine} start={row.Start} reps={row.Reps}"));
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

    /// <summary>Ours / peer of the medians of the headline metric, one per peer that ran the workload in the same start mode.</summary>
    public static IEnumerable<Ratio> Ratios(IReadOnlyList<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (Row ours in rows.Where(r => r.Engine == Ours))
        {
            foreach (Row peer in rows.Where(r => r.Workload == ours.Workload && r.Start == ours.Start && r.Engine != Ours))
            {
                yield return new Ratio(ours.Workload, peer.Engine, ours.Start, Headline(ours.Workload).Metric, ours.Headline / peer.Headline);
            }
        }
    }

    public static string RatioLine(Ratio ratio)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        return string.Create(CultureInfo.InvariantCulture, $"ratio workload={ratio.Workload} ours={Ours} peer={ratio.Peer} start={ratio.Start} metric={ratio.Metric} value={ratio.Value:0.###}");
    }

    public static string Markdown(IReadOnlyList<Row> rows, MachineLimits? limits, string header)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine(header).AppendLine();
        if (limits is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Machine limits: sequential write {limits.WriteMBps:N0} MB/s unsynced, {limits.SyncedWriteMBps:N0} MB/s with one fsync at the end; {limits.SyncsPerSecond:N0} fsyncs/s (4 KiB append + fsync); memcpy {limits.MemcpyMBps:N0} MB/s.").AppendLine();
        }

        foreach (IGrouping<string, Row> mode in rows.GroupBy(r => r.Start))
        {
            text.AppendLine(mode.Key == Result.ColdStart
                ? "Cold (`--cold`): one run per fresh process, no warm-up; W3/W4/W6 stores made by an earlier loader process. From launch: the parent's Process.Start to the end of the measured part."
                : "Warm: three warm-up rounds in the same process before the measured run.").AppendLine();
            Table(text, [.. mode]);
            text.AppendLine();
        }

        return text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static void Table(StringBuilder text, IReadOnlyList<Row> rows)
    {
        var ratios = Ratios(rows).ToDictionary(r => (r.Workload, r.Peer), r => r.Value);
        bool cold = rows[0].Start == Result.ColdStart;
        text.AppendLine($"| Workload | Engine | Median | Range (min..max) | ours/peer | Peak RSS MB | Managed peak MB |{(cold ? " From launch ms |" : string.Empty)} Reps | Mode |");
        text.AppendLine($"|---|---|---:|---:|---:|---:|---:|{(cold ? "---:|" : string.Empty)}---:|---|");
        foreach (Row row in rows)
        {
            (_, bool higherIsBetter, string unit) = Headline(row.Workload);
            string ratio = row.Engine == Ours
                ? "-"
                : ratios.TryGetValue((row.Workload, row.Engine), out double value)
                    ? string.Create(CultureInfo.InvariantCulture, $"{value:0.00}x{(higherIsBetter ? string.Empty : " (lower is better)")}")
                    : "n/a";
            string launch = cold
                ? " " + (row.Medians.TryGetValue("launch_to_done_ms", out double ms) ? Format(ms) : "n/a") + " |"
                : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {row.Engine} | {MedianCell(row, unit)} | {Format(row.Min)}..{Format(row.Max)} | {ratio} | {row.Medians["peak_rss_mb"]:0} | {row.Medians["managed_peak_mb"]:0} |{launch} {row.Reps} | {row.Mode} |");
        }
    }

    private static string MedianCell(Row row, string unit)
    {
        string median = Format(row.Headline) + " " + unit;
        return row.Workload switch
        {
            "W5" or "W7" or "W9" => median + string.Create(CultureInfo.InvariantCulture, $"; latency p50 {row.Medians["p50_ms"]:0.##} ms, p99 {row.Medians["p99_ms"]:0.##} ms, max {row.Medians["max_ms"]:0.##} ms"),
            "W1" => median + string.Create(CultureInfo.InvariantCulture, $" ({row.Medians["mb_per_s"]:0.#} MB/s)"),
            "W2" => median + string.Create(CultureInfo.InvariantCulture, $" ({row.Medians["writes_per_s"]:N0} writes/s)"),
            "W4" when row.Medians.TryGetValue("reopen_ms", out double reopen) => median + string.Create(CultureInfo.InvariantCulture, $" (reopen {reopen:0.##} ms)"),
            _ => median,
        };
    }

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The median; of an even count, the mean of the middle two.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
