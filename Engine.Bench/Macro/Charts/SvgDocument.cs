using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace Quasar.Bench.Macro.Charts;

/// <summary>
/// A hand-written SVG document: the few shapes the charts draw, with every number in invariant
/// culture and every text escaped. <see cref="Save"/> parses the text back as XML before writing,
/// so a chart that would not open in a browser fails the run instead of reaching BENCHMARKS.md.
/// </summary>
public sealed class SvgDocument
{
    /// <summary>Series colours, in order (distinct in print and for the common colour blindnesses).</summary>
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private readonly StringBuilder text = new();

    public SvgDocument(double width, double height, string title)
    {
        Width = width;
        Height = height;
        text.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        text.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>\n");
        Rect(0, 0, width, height, "#ffffff");
        Text(width / 2, 22, title, "middle", size: 15);
    }

    public double Width { get; }

    public double Height { get; }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null) =>
        text.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{Dash(dash)}/>\n");

    /// <summary>A rectangle; <paramref name="tooltip"/> becomes its SVG title (shown on hover).</summary>
    public void Rect(double x, double y, double width, double height, string fill, string? tooltip = null)
    {
        string shape = string.Create(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{fill}\"");
        text.Append(shape).Append(tooltip is null ? "/>\n" : $"><title>{Escape(tooltip)}</title></rect>\n");
    }

    public void Circle(double x, double y, double radius, string fill, string? tooltip = null)
    {
        string shape = string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(radius)}\" fill=\"{fill}\"");
        text.Append(shape).Append(tooltip is null ? "/>\n" : $"><title>{Escape(tooltip)}</title></circle>\n");
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 2, string? dash = null)
    {
        string list = string.Join(' ', points.Select(p => N(p.X) + "," + N(p.Y)));
        text.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{list}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"{Dash(dash)}/>\n");
    }

    /// <summary>Text at (x, y); <paramref name="anchor"/> is start, middle or end; <paramref name="rotate"/> in degrees about (x, y).</summary>
    public void Text(double x, double y, string content, string anchor = "start", double size = 12, double rotate = 0, string fill = "#222222")
    {
        string turn = rotate == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        text.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\"{turn}>{Escape(content)}</text>\n");
    }

    /// <summary>The finished document.</summary>
    public override string ToString() => text.ToString() + "</svg>\n";

    /// <summary>Checks that the document parses as XML, then writes it to <paramref name="path"/>.</summary>
    /// <exception cref="System.Xml.XmlException">The document is not well-formed (a bug in a chart).</exception>
    public void Save(string path)
    {
        string document = ToString();
        _ = XDocument.Parse(document);
        File.WriteAllText(path, document);
    }

    /// <summary>A coordinate or size as SVG wants it: invariant, at most two decimals.</summary>
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Dash(string? dash) => dash is null ? string.Empty : $" stroke-dasharray=\"{dash}\"";

    private static string Escape(string content) => SecurityElement.Escape(content);
}
