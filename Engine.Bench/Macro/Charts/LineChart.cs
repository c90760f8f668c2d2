namespace Quasar.Bench.Macro.Charts;

/// <summary>One line of a <see cref="LineChart"/>: its name in the legend and its points in x order.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// Lines over a shared x axis, each point marked (its value on hover), e.g. W8's growth curves:
/// x the ledger's entries (1M, 10M, 100M on a log scale), y milliseconds, reads/s, MB or descriptors.
/// </summary>
public static class LineChart
{
    /// <param name="title">Above the chart.</param>
    /// <param name="xTitle">Below the x axis.</param>
    /// <param name="yTitle">Beside the y axis.</param>
    /// <param name="series">The lines, each drawn in the next palette colour.</param>
    /// <param name="logX">A log-10 x axis (the default: sizes grow by decades).</param>
    /// <param name="logY">A log-10 y axis.</param>
    public static SvgDocument Render(string title, string xTitle, string yTitle, IReadOnlyList<LineSeries> series, bool logX = true, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var svg = new SvgDocument(640, 420, title);
        Axis x = Axis.Over(series.SelectMany(s => s.Points).Select(p => p.X), logX, ChartFrame.Left + 10, svg.Width - ChartFrame.Right - 10);
        Axis y = Axis.Over(series.SelectMany(s => s.Points).Select(p => p.Y), logY, svg.Height - ChartFrame.Bottom, ChartFrame.Top);
        ChartFrame.YGrid(svg, y, yTitle);
        ChartFrame.XGrid(svg, x, xTitle);
        for (int s = 0; s < series.Count; s++)
        {
            string colour = SvgDocument.Palette[s % SvgDocument.Palette.Length];
            (double X, double Y)[] points = [.. series[s].Points.Where(p => Shown(p.X, logX) && Shown(p.Y, logY))];
            svg.Polyline(points.Select(p => (x.Map(p.X), y.Map(p.Y))), colour);
            foreach ((double px, double py) in points)
            {
                svg.Circle(x.Map(px), y.Map(py), 3.5, colour, $"{series[s].Name}: {Axis.Label(px)} -> {Axis.Label(py)}");
            }
        }

        ChartFrame.Legend(svg, [.. series.Select((line, s) => (line.Name, SvgDocument.Palette[s % SvgDocument.Palette.Length], true, (string?)null))]);
        return svg;
    }

    private static bool Shown(double value, bool log) => double.IsFinite(value) && (!log || value > 0);
}
