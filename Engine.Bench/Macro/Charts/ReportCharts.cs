namespace Quasar.Bench.Macro.Charts;

/// <summary>
/// The charts the macro runner writes beside its report (<c>--svg DIR</c>): <c>ratios.svg</c>, how
/// many times better ours is than each peer per workload, warm and cold side by side, with a line
/// at 1x (even) and each workload's target.
/// </summary>
public static class ReportCharts
{
    /// <summary>
    /// Issue 13's targets for ours / peer (stated against LMDB, the fastest peer, so drawn against
    /// every peer). W4's target is absolute (10 ms cold), W5 has no peer.
    /// </summary>
    private static readonly Dictionary<string, double> Targets = new()
    {
        ["W1"] = 1.5,
        ["W2"] = 1,
        ["W3"] = 1.5,
        ["W6"] = 1.5,
        ["W7"] = 1,
    };

    /// <summary>Writes the charts for <paramref name="rows"/> into <paramref name="directory"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<Report.Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(directory);
        string ratios = Path.Combine(directory, "ratios.svg");
        RatioChart(rows).Save(ratios);
        return [ratios];
    }

    /// <summary>One group per (workload, peer), one bar per start mode; W4 (lower is better) is turned round as peer ms / ours ms.</summary>
    public static SvgDocument RatioChart(IReadOnlyList<Report.Row> rows)
    {
        Ratio[] ratios = [.. Report.Ratios(rows)];
        string[] starts = [.. ratios.Select(r => r.Start).Distinct().OrderBy(s => s == Result.WarmStart ? 0 : 1)];
        BarGroup[] groups =
        [
            .. ratios.GroupBy(r => (r.Workload, r.Peer))
                .OrderBy(g => g.Key.Workload, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Peer, StringComparer.Ordinal)
                .Select(g => new BarGroup(
                    $"{g.Key.Workload} {g.Key.Peer}",
                    [.. starts.Select(start => g.FirstOrDefault(r => r.Start == start)?.Advantage ?? double.NaN)],
                    Targets.TryGetValue(g.Key.Workload, out double target) ? target : null)),
        ];
        return BarChart.Render(
            "Quasar / peer, higher is better (W4: peer ms / Quasar ms)",
            "times better than the peer (log scale)",
            starts,
            groups);
    }
}
