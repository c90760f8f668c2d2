namespace Quasar.Bench.Macro.Charts;

/// <summary>One group of bars: one value per series (NaN: none), and an optional target drawn as a dashed mark across the group.</summary>
public sealed record BarGroup(string Label, IReadOnlyList<double> Values, double? Target = null);

/// <summary>Grouped vertical bars with an optional reference line (e.g. 1x: even with the peer) and per-group targets.</summary>
public static class BarChart
{
    private const string TargetColour = "#d62728";

    /// <param name="title">Above the chart.</param>
    /// <param name="yTitle">Beside the y axis.</param>
    /// <param name="series">The names of the bars in each group, in order (the legend).</param>
    /// <param name="groups">The groups, left to right; each has one value per series.</param>
    /// <param name="reference">A value to draw a solid line across the whole plot at, or null.</param>
    /// <param name="logY">A log-10 y axis (ratios spread over decades).</param>
    public static SvgDocument Render(string title, string yTitle, IReadOnlyList<string> series, IReadOnlyList<BarGroup> groups, double? reference = 1, bool logY = true)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(groups);
        double groupWidth = Math.Max(48, (series.Count * 18) + 20);
        var svg = new SvgDocument(Math.Max(480, ChartFrame.Left + ChartFrame.Right + (groups.Count * groupWidth)), 420, title);
        IEnumerable<double> shown = groups.SelectMany(g => g.Values)
            .Concat(groups.Where(g => g.Target.HasValue).Select(g => g.Target!.Value))
            .Concat(reference.HasValue ? [reference.Value] : []);
        Axis y = Axis.Over(shown, logY, svg.Height - ChartFrame.Bottom, ChartFrame.Top);
        ChartFrame.YGrid(svg, y, yTitle);
        ChartFrame.XTitle(svg, string.Empty);

        double baseline = y.Map(y.Min);
        double barWidth = (groupWidth - 20) / Math.Max(1, series.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            BarGroup group = groups[g];
            double left = ChartFrame.Left + (g * groupWidth) + 10;
            for (int s = 0; s < series.Count && s < group.Values.Count; s++)
            {
                double value = group.Values[s];
                if (!double.IsFinite(value) || (logY && value <= 0))
                {
                    continue;
                }

                double top = y.Map(value);
                string tooltip = $"{group.Label}, {series[s]}: {Axis.Label(value)}";
                svg.Rect(left + (s * barWidth), top, barWidth - 2, baseline - top, SvgDocument.Palette[s % SvgDocument.Palette.Length], tooltip);
            }

            if (group.Target is double target)
            {
                svg.Line(left - 4, y.Map(target), left + groupWidth - 16, y.Map(target), TargetColour, 2, "5,3");
            }

            // "W1 lmdb": the workload above the peer, so neighbouring labels never overlap.
            double middle = left + ((groupWidth - 20) / 2);
            string[] lines = group.Label.Split(' ', 2);
            for (int row = 0; row < lines.Length; row++)
            {
                svg.Text(middle, svg.Height - ChartFrame.Bottom + 16 + (13 * row), lines[row], "middle", size: 11);
            }
        }

        if (reference is double line)
        {
            svg.Line(ChartFrame.Left, y.Map(line), svg.Width - ChartFrame.Right, y.Map(line), "#000000", 1.5);
        }

        var legend = series.Select((name, s) => (name, SvgDocument.Palette[s % SvgDocument.Palette.Length], false, (string?)null)).ToList();
        if (groups.Any(g => g.Target.HasValue))
        {
            legend.Add(("target", TargetColour, true, "5,3"));
        }

        if (reference is double even)
        {
            legend.Add((Axis.Label(even) + "x", "#000000", true, null));
        }

        ChartFrame.Legend(svg, legend);
        return svg;
    }
}
