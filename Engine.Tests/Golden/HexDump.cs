using System.Globalization;
using System.Text;

namespace Quasar.Tests.Golden;

/// <summary>
/// The canonical hexdump (as <c>hexdump -C</c> prints it) the golden cases store their expected
/// files in: per line an 8-digit hex offset, 16 bytes in hex (two groups of eight) and the bytes
/// as ASCII between bars; a line equal to the one before is elided as a single <c>*</c>, and a
/// last line holds the file's length. Elision keeps a 64 MiB sparse index file a few lines long.
/// </summary>
public static class HexDump
{
    private const int BytesPerLine = 16;
    private const int HexStart = 10;
    private const int HexWidth = (BytesPerLine * 3) + 1;

    /// <summary>The dump of <paramref name="bytes"/>, one string per line.</summary>
    public static List<string> Format(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        bool eliding = false;
        for (int offset = 0; offset < bytes.Length; offset += BytesPerLine)
        {
            ReadOnlySpan<byte> line = bytes.Slice(offset, Math.Min(BytesPerLine, bytes.Length - offset));
            bool repeatsPrevious = offset > 0 && line.Length == BytesPerLine && line.SequenceEqual(bytes.Slice(offset - BytesPerLine, BytesPerLine));
            if (repeatsPrevious)
            {
                if (!eliding)
                {
                    lines.Add("*");
                    eliding = true;
                }

                continue;
            }

            eliding = false;
            lines.Add(Line(offset, line));
        }

        lines.Add(Offset(bytes.Length));
        return lines;
    }

    /// <summary>The bytes a dump made by <see cref="Format"/> stands for.</summary>
    /// <exception cref="FormatException">A line is neither a data line, a <c>*</c> nor the final length.</exception>
    public static byte[] Parse(IReadOnlyList<string> lines)
    {
        var bytes = new List<byte>();
        byte[] previous = [];
        bool repeat = false;
        foreach (string line in lines)
        {
            if (line == "*")
            {
                repeat = true;
                continue;
            }

            int offset = int.Parse(line.AsSpan(0, Math.Min(8, line.Length)), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            while (repeat && bytes.Count < offset)
            {
                bytes.AddRange(previous);
            }

            repeat = false;
            if (bytes.Count != offset)
            {
                throw new FormatException($"hexdump line '{line}' starts at 0x{offset:x}, but the lines before it end at 0x{bytes.Count:x}");
            }

            if (line.Length == 8)
            {
                return [.. bytes];
            }

            string hex = line.Substring(HexStart, Math.Min(HexWidth, line.Length - HexStart));
            previous = [.. hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
            bytes.AddRange(previous);
        }

        throw new FormatException("hexdump has no final line with the file's length");
    }

    /// <summary>One data line: <paramref name="line"/> (at most 16 bytes) shown at <paramref name="offset"/>.</summary>
    public static string Line(int offset, ReadOnlySpan<byte> line)
    {
        var text = new StringBuilder(Offset(offset)).Append(' ');
        for (int i = 0; i < BytesPerLine; i++)
        {
            text.Append(i == BytesPerLine / 2 ? "  " : " ");
            text.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ");
        }

        text.Append("  |");
        foreach (byte b in line)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.Append('|').ToString();
    }

    /// <summary>An offset as the dump shows it: 8 lower-case hex digits.</summary>
    private static string Offset(int offset) => offset.ToString("x8", CultureInfo.InvariantCulture);
}
