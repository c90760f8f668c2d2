using System.Globalization;
using System.Text.RegularExpressions;

namespace Quasar.Tests.Golden;

/// <summary>
/// FORMAT.md's worked example shows hex (xxd style) for the files its operations leave; the
/// golden case of the same operations pins what the engine writes. This keeps the two in step:
/// every hex block in the example must be the start of the golden file it names.
/// </summary>
public sealed partial class FormatDocumentTests
{
    private const string ExampleCase = "01-format-worked-example";

    [Fact]
    public void Worked_example_hex_in_FORMAT_md_matches_its_golden_case()
    {
        string document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "FORMAT.md")).ReplaceLineEndings("\n");
        string example = document[document.IndexOf("## Worked example", StringComparison.Ordinal)..];
        GoldenCase golden = GoldenCase.Parse(ExampleCase, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "golden", ExampleCase + ".txt")));

        MatchCollection blocks = HexBlock().Matches(example);

        Assert.Equal(3, blocks.Count);
        foreach (Match block in blocks)
        {
            string named = NamedFile().Matches(example[..block.Index])[^1].Groups[1].Value;
            string path = Assert.Single(golden.Expected.Keys, p => p.EndsWith(named, StringComparison.Ordinal));
            byte[] shown = ParseXxd(block.Groups[1].Value);
            byte[] pinned = HexDump.Parse(golden.Expected[path]);
            int agree = shown.AsSpan().CommonPrefixLength(pinned);
            Assert.True(agree == shown.Length, $"FORMAT.md's hex for {path} differs from golden case {ExampleCase} at offset 0x{agree:x}");
        }
    }

    /// <summary>The bytes of an xxd dump: "oooooooo: hhhh hhhh ... " lines, notes after the hex ignored.</summary>
    private static byte[] ParseXxd(string dump) =>
    [
        .. dump.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(line => line.Substring(10, Math.Min(39, line.Length - 10)).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(group => Enumerable.Range(0, group.Length / 2).Select(i => byte.Parse(group.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture))),
    ];

    [GeneratedRegex(@"```\n([0-9a-f]{8}: .*?)```", RegexOptions.Singleline)]
    private static partial Regex HexBlock();

    [GeneratedRegex(@"`([^`\s]+)`")]
    private static partial Regex NamedFile();
}
