using System.Globalization;
using System.Text;

namespace Quasar.Tests.Golden;

/// <summary>
/// The files a golden script leaves in its database directory, by relative path ('/'-separated,
/// ordinal order, so dumps come out in the same order on every machine), and how they differ
/// from a case's expectations. The <c>LOCK</c> file is left out: its content is a process id.
/// </summary>
public static class GoldenFiles
{
    /// <summary>Every file under <paramref name="root"/> except the database's <c>LOCK</c> file.</summary>
    public static SortedDictionary<string, byte[]> Read(string root)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative != "LOCK")
            {
                files.Add(relative, File.ReadAllBytes(path));
            }
        }

        return files;
    }

    /// <summary>Null when <paramref name="actual"/> is what <paramref name="expected"/> describes; else which file differs first and where.</summary>
    public static string? FirstDifference(GoldenCase expected, IReadOnlyDictionary<string, byte[]> actual)
    {
        var report = new StringBuilder();
        foreach (string missing in expected.Expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{missing}: expected, but the script left no such file");
        }

        foreach (string extra in actual.Keys.Except(expected.Expected.Keys).Order(StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{extra}: left by the script, but not expected");
        }

        foreach ((string path, byte[] bytes) in actual)
        {
            if (expected.Expected.TryGetValue(path, out IReadOnlyList<string>? dump))
            {
                DescribeDifference(report, path, HexDump.Parse(dump), bytes);
            }
        }

        return report.Length == 0 ? null : report.ToString();
    }

    /// <summary>Appends where <paramref name="actual"/> first departs from <paramref name="expected"/>, with the 16-byte line around it from each; nothing when they are equal.</summary>
    private static void DescribeDifference(StringBuilder report, string path, byte[] expected, byte[] actual)
    {
        int offset = expected.AsSpan().CommonPrefixLength(actual);
        if (offset == expected.Length && offset == actual.Length)
        {
            return;
        }

        string Byte(byte[] bytes) => offset < bytes.Length ? $"0x{bytes[offset]:x2}" : "end of file";
        report.AppendLine(CultureInfo.InvariantCulture, $"{path}: first difference at offset 0x{offset:x} ({offset}): expected {Byte(expected)}, found {Byte(actual)} (lengths: expected {expected.Length}, found {actual.Length})");
        int lineStart = offset / 16 * 16;
        report.AppendLine(CultureInfo.InvariantCulture, $"  expected: {LineAt(expected, lineStart)}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  found:    {LineAt(actual, lineStart)}");
    }

    /// <summary>The dump line starting at <paramref name="lineStart"/>, or a note that the file ends before it.</summary>
    private static string LineAt(byte[] bytes, int lineStart) =>
        lineStart < bytes.Length ? HexDump.Line(lineStart, bytes.AsSpan(lineStart, Math.Min(16, bytes.Length - lineStart))) : "(past the end)";
}
