namespace Quasar.Tests.Golden;

/// <summary>
/// One golden case file (Engine.Tests/testdata/golden/*.txt): a script of operations, then for
/// each file the script leaves a section <c>== relative/path</c> holding its expected
/// <see cref="HexDump"/>. The script part is kept verbatim (comments included) when the
/// expectations are rewritten; only the sections after it are regenerated.
/// </summary>
/// <param name="Name">The case's file name without extension.</param>
/// <param name="Script">The lines before the first section, verbatim.</param>
/// <param name="Expected">Each expected file's dump, by path relative to the database directory.</param>
public sealed record GoldenCase(string Name, IReadOnlyList<string> Script, IReadOnlyDictionary<string, IReadOnlyList<string>> Expected)
{
    private const string SectionMarker = "== ";

    /// <summary>Reads a case from the text of its file.</summary>
    public static GoldenCase Parse(string name, string text)
    {
        string[] lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        int firstSection = Array.FindIndex(lines, line => line.StartsWith(SectionMarker, StringComparison.Ordinal));
        int scriptEnd = firstSection < 0 ? lines.Length : firstSection;
        var expected = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        List<string>? dump = null;
        for (int i = scriptEnd; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(SectionMarker, StringComparison.Ordinal))
            {
                dump = [];
                expected.Add(lines[i][SectionMarker.Length..], dump);
            }
            else if (lines[i].Length > 0)
            {
                dump!.Add(lines[i]);
            }
        }

        return new GoldenCase(name, lines[..scriptEnd], expected);
    }

    /// <summary>The text of a case file with <paramref name="script"/> and the dumps of <paramref name="files"/>, in the order given.</summary>
    public static string Render(IReadOnlyList<string> script, IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        var lines = new List<string>(script.Reverse().SkipWhile(line => line.Length == 0).Reverse()) { string.Empty };
        foreach ((string path, byte[] bytes) in files)
        {
            lines.Add(SectionMarker + path);
            lines.AddRange(HexDump.Format(bytes));
        }

        return string.Join('\n', lines) + "\n";
    }
}
