namespace Quasar.Bench.Macro.Charts;

/// <summary>What every chart shares: the plot area's margins, grid lines with tick labels, axis titles and the legend.</summary>
public static class ChartFrame
{
    public const double Left = 70;
    public const double Right = 20;
    public const double Top = 60;
    public const double Bottom = 70;

    /// <summary>Horizontal grid lines and labels at the y axis's ticks, and the y title turned upright.</summary>
    public static void YGrid(SvgDocument svg, Axis y, string title)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(y);
        foreach (double tick in y.Ticks())
        {
            double at = y.Map(tick);
            svg.Line(Left, at, svg.Width - Right, at, "#dddddd");
            svg.Text(Left - 6, at + 4, Axis.Label(tick), "end", size: 11);
        }

        svg.Line(Left, Top, Left, svg.Height - Bottom, "#444444");
        svg.Text(16, (Top + svg.Height - Bottom) / 2, title, "middle", rotate: -90);
    }

    /// <summary>Vertical grid lines and labels at the x axis's ticks, and the x title below.</summary>
    public static void XGrid(SvgDocument svg, Axis x, string title)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(x);
        foreach (double tick in x.Ticks())
        {
            double at = x.Map(tick);
            svg.Line(at, Top, at, svg.Height - Bottom, "#eeeeee");
            svg.Text(at, svg.Height - Bottom + 16, Axis.Label(tick), "middle", size: 11);
        }

        XTitle(svg, title);
    }

    public static void XTitle(SvgDocument svg, string title)
    {
        ArgumentNullException.ThrowIfNull(svg);
        svg.Line(Left, svg.Height - Bottom, svg.Width - Right, svg.Height - Bottom, "#444444");
        svg.Text((Left + svg.Width - Right) / 2, svg.Height - 18, title, "middle");
    }

    /// <summary>One row of legend entries under the title: a swatch (filled, or a line with an optional dash) and a name each.</summary>
    public static void Legend(SvgDocument svg, IReadOnlyList<(string Name, string Colour, bool AsLine, string? Dash)> entries)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(entries);
        double x = Left;
        const double y = 42;
        foreach ((string name, string colour, bool asLine, string? dash) in entries)
        {
            if (asLine)
            {
                svg.Line(x, y - 4, x + 18, y - 4, colour, 2, dash);
            }
            else
            {
                svg.Rect(x + 3, y - 10, 12, 12, colour);
            }

            svg.Text(x + 24, y, name, size: 11);
            x += 34 + (name.Length * 6.5);
        }
    }
}
