using Quasar.Storage.Segments;

namespace Quasar.Storage;

/// <summary>
/// The files of a ledger directory as recovery sees them: segment files named by a 20-digit base
/// sequence, in log order, and every other file, which recovery ignores or deletes.
/// </summary>
internal static class LedgerFiles
{
    /// <summary>The segment files of <paramref name="directory"/> ordered by base sequence; other files are reported to <paramref name="problems"/> when given.</summary>
    public static List<(ulong Base, string Path)> Segments(string directory, ProblemList? problems)
    {
        var segments = new List<(ulong Base, string Path)>();
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "*" + Segment.DataExtension))
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            if (stem.Length == Sequence.EncodedLength && Sequence.TryDecode(System.Text.Encoding.ASCII.GetBytes(stem), out ulong baseSequence))
            {
                segments.Add((baseSequence, path));
                stems.Add(stem);
            }
        }

        segments.Sort((a, b) => a.Base.CompareTo(b.Base));
        if (problems is not null)
        {
            ReportOtherFiles(directory, stems, problems);
        }

        return segments;
    }

    private static void ReportOtherFiles(string directory, HashSet<string> stems, ProblemList problems)
    {
        foreach (string path in Directory.GetFiles(directory))
        {
            string name = Path.GetFileName(path);
            string extension = Path.GetExtension(path);
            if (name == TailFile.FileName || (extension is Segment.DataExtension or Segment.IndexExtension && stems.Contains(Path.GetFileNameWithoutExtension(path))))
            {
                continue;
            }

            problems.Warning(path, 0, extension == ".tmp"
                ? "an unfinished rewrite (a crash before its rename); recovery deletes it"
                : extension == Segment.IndexExtension ? "an index without its segment; recovery ignores it" : "not a file of the format; recovery ignores it");
        }
    }
}
