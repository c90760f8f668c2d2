using Quasar.Tests.Cli;

namespace Quasar.Tests.Hosting.Quickstart;

/// <summary>
/// The files of README.md's "Worker-service quickstart", as printed there: its fenced blocks in
/// xml (the project file), json (appsettings.json) and csharp (Program.cs). Other blocks (the
/// shell commands) are instructions, not files.
/// </summary>
internal sealed record ReadmeQuickstart(string ProjectFile, string AppSettings, string Program)
{
    public const string Heading = "## Worker-service quickstart";

    /// <summary>The project file's name in the README, which names the built assembly.</summary>
    public const string ProjectName = "Orders";

    /// <summary>Reads the section from the repository's README.md; fails naming what is missing.</summary>
    public static ReadmeQuickstart Read()
    {
        string[] lines = File.ReadAllLines(Path.Combine(CliRun.RepositoryRoot(), "README.md"));
        int start = Array.IndexOf(lines, Heading);
        Assert.True(start >= 0, $"README.md has no line '{Heading}'");
        int end = Array.FindIndex(lines, start + 1, line => line.StartsWith("## ", StringComparison.Ordinal));
        Dictionary<string, List<string>> blocks = FencedBlocks(lines[(start + 1)..(end < 0 ? lines.Length : end)]);
        return new ReadmeQuickstart(Single(blocks, "xml"), Single(blocks, "json"), Single(blocks, "csharp"));
    }

    /// <summary>Each fenced block's text by its language; a language may repeat.</summary>
    private static Dictionary<string, List<string>> FencedBlocks(string[] section)
    {
        Dictionary<string, List<string>> blocks = [];
        for (int i = 0; i < section.Length; i++)
        {
            if (!section[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            string language = section[i][3..].Trim();
            int close = Array.IndexOf(section, "```", i + 1);
            Assert.True(close > i, $"the quickstart's ```{language} block at line {i} is never closed");
            string text = string.Join('\n', section[(i + 1)..close]) + "\n";
            (blocks.TryGetValue(language, out List<string>? same) ? same : blocks[language] = []).Add(text);
            i = close;
        }

        return blocks;
    }

    private static string Single(Dictionary<string, List<string>> blocks, string language)
    {
        int count = blocks.TryGetValue(language, out List<string>? found) ? found.Count : 0;
        Assert.True(count == 1, $"the quickstart should have one ```{language} block; it has {count}");
        return found![0];
    }
}
