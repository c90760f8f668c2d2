using System.Runtime.CompilerServices;
using Quasar.Tests.Golden;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary>
/// The operator commands' output, pinned: each case in testdata/cli builds a directory with a
/// golden script (<see cref="GoldenScript"/>: fixed sequences and payloads), then every section
/// <c>== COMMAND ARGS</c> runs <c>quasar COMMAND DIR ARGS</c> and must print exactly the lines
/// below it (blank lines aside). Nothing compared depends on the clock or the directory's path.
/// After an intended change of output, run with <c>QUASAR_GOLDEN_REWRITE=1</c> to rewrite the
/// sections in the source tree (then review the diff).
/// </summary>
[Collection(ToolCollection.Name)]
public sealed class OperatorGoldenTests : IDisposable
{
    private const string RewriteSwitch = "QUASAR_GOLDEN_REWRITE";

    private static readonly string CaseDirectory = Path.Combine(AppContext.BaseDirectory, "testdata", "cli");

    private readonly TempDirectory temp = new();

    /// <summary>The name of every case file, without its extension.</summary>
    public static TheoryData<string> Cases => [.. Directory.EnumerateFiles(CaseDirectory, "*.txt").Select(path => Path.GetFileNameWithoutExtension(path)).Order(StringComparer.Ordinal)];

    public void Dispose() => temp.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_command_prints_exactly_the_expected_lines(string name)
    {
        string text = File.ReadAllText(Path.Combine(CaseDirectory, name + ".txt"));
        GoldenCase golden = GoldenCase.Parse(name, text);
        GoldenScript.Run(golden.Script, temp.Path);

        var actual = new List<(string Command, string[] Lines)>();
        foreach (string command in SectionsInOrder(text))
        {
            string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            using CliRun run = CliRun.Complete([words[0], temp.Path, .. words[1..]]);
            Assert.True(run.ExitCode == 0, $"quasar {command}: exit {run.ExitCode}\n{run.Describe()}");
            actual.Add((command, NonBlank(run.Stdout)));
        }

        if (Environment.GetEnvironmentVariable(RewriteSwitch) == "1")
        {
            File.WriteAllText(Path.Combine(SourceCaseDirectory(), name + ".txt"), Render(golden.Script, actual));
            return;
        }

        foreach ((string command, string[] lines) in actual)
        {
            Assert.True(golden.Expected[command].SequenceEqual(lines), $"case '{name}', quasar {command} differs ({RewriteSwitch}=1 rewrites it after an intended change):\nexpected:\n{string.Join('\n', golden.Expected[command])}\nfound:\n{string.Join('\n', lines)}");
        }
    }

    /// <summary>The commands of a case's sections, in the order the file lists them.</summary>
    private static IEnumerable<string> SectionsInOrder(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Where(line => line.StartsWith("== ", StringComparison.Ordinal)).Select(line => line[3..]);

    private static string[] NonBlank(string output) => [.. output.Split('\n').Where(line => line.Trim().Length > 0)];

    /// <summary>The case file: its script verbatim, then each command's section with its output.</summary>
    private static string Render(IReadOnlyList<string> script, List<(string Command, string[] Lines)> sections)
    {
        var lines = new List<string>(script.Reverse().SkipWhile(line => line.Length == 0).Reverse());
        foreach ((string command, string[] output) in sections)
        {
            lines.Add(string.Empty);
            lines.Add("== " + command);
            lines.AddRange(output);
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>testdata/cli in the source tree (the tests run against a copy in the output directory).</summary>
    /// <exception cref="DirectoryNotFoundException">The build mapped source paths away (a CI build), so there is no tree to rewrite.</exception>
    private static string SourceCaseDirectory([CallerFilePath] string thisFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "testdata", "cli");
        return Directory.Exists(directory) ? directory : throw new DirectoryNotFoundException($"{RewriteSwitch}=1 rewrites the cases in the source tree, but '{directory}' (from this file's compile-time path) does not exist");
    }
}
