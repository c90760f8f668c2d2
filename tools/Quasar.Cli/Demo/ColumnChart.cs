using System.Text;

namespace Quasar.Cli.Demo;

/// <summary>
/// A column chart drawn with the eighth-block characters, one column per value: text that any
/// terminal shows, sized to the space the dashboard has.
/// </summary>
internal static class ColumnChart
{
    private const string Blocks = " ▁▂▃▄▅▆▇█";

    /// <summary>Draws the last <paramref name="width"/> values, scaled so the largest fills <paramref name="height"/> rows.</summary>
    /// <param name="values">Values, oldest first; negative ones count as zero.</param>
    /// <param name="width">Columns available.</param>
    /// <param name="height">Rows available.</param>
    /// <returns><paramref name="height"/> lines, top row first, each <paramref name="width"/> characters or fewer.</returns>
    public static string[] Draw(IReadOnlyList<double> values, int width, int height)
    {
        int count = Math.Min(values.Count, Math.Max(width, 0));
        int first = values.Count - count;
        double max = 0;
        for (int i = first; i < values.Count; i++)
        {
            max = Math.Max(max, values[i]);
        }

        var rows = new StringBuilder[height];
        for (int row = 0; row < height; row++)
        {
            rows[row] = new StringBuilder(count);
        }

        for (int i = first; i < values.Count; i++)
        {
            // In eighths of a row; a non-zero value shows at least one eighth so activity is never invisible.
            int eighths = max <= 0 ? 0 : (int)Math.Round(Math.Max(values[i], 0) / max * height * 8);
            eighths = values[i] > 0 ? Math.Max(eighths, 1) : eighths;
            for (int row = 0; row < height; row++)
            {
                int level = Math.Clamp(eighths - ((height - 1 - row) * 8), 0, 8);
                rows[row].Append(Blocks[level]);
            }
        }

        return [.. rows.Select(row => row.ToString())];
    }
}
