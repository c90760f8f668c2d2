using System.Runtime.CompilerServices;
using Quasar.Tests.Support;

namespace Quasar.Tests.Golden;

/// <summary>
/// The on-disk format, pinned byte for byte: each case in testdata/golden runs its script in a
/// fresh directory and must leave exactly the files it lists, each exactly as dumped. The first
/// case is FORMAT.md's worked example. After an intended format change, run with
/// <c>QUASAR_GOLDEN_REWRITE=1</c> to rewrite the expectations in the source tree (then review the diff).
/// </summary>
public sealed class GoldenFormatTests : IDisposable
{
    private const string RewriteSwitch = "QUASAR_GOLDEN_REWRITE";

    private static readonly string CaseDirectory = Path.Combine(AppContext.BaseDirectory, "testdata", "golden");

    private readonly TempDirectory temp = new();

    /// <summary>The name of every case file, without its extension.</summary>
    public static TheoryData<string> Cases => [.. Directory.EnumerateFiles(CaseDirectory, "*.txt").Select(path => Path.GetFileNameWithoutExtension(path)).Order(StringComparer.Ordinal)];

    public void Dispose() => temp.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Script_leaves_exactly_the_expected_files(string name)
    {
        GoldenCase golden = GoldenCase.Parse(name, File.ReadAllText(Path.Combine(CaseDirectory, name + ".txt")));

        GoldenScript.Run(golden.Script, temp.Path);
        SortedDictionary<string, byte[]> files = GoldenFiles.Read(temp.Path);

        if (Environment.GetEnvironmentVariable(RewriteSwitch) == "1")
        {
            File.WriteAllText(Path.Combine(SourceCaseDirectory(), name + ".txt"), GoldenCase.Render(golden.Script, files));
            return;
        }

        string? difference = GoldenFiles.FirstDifference(golden, files);
        Assert.True(difference is null, $"golden case '{name}' differs ({RewriteSwitch}=1 rewrites it after an intended format change):\n{difference}");
    }

    /// <summary>testdata/golden in the source tree (the tests run against a copy in the output directory).</summary>
    /// <exception cref="DirectoryNotFoundException">The build mapped source paths away (a CI build), so there is no tree to rewrite.</exception>
    private static string SourceCaseDirectory([CallerFilePath] string thisFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "testdata", "golden");
        return Directory.Exists(directory) ? directory : throw new DirectoryNotFoundException($"{RewriteSwitch}=1 rewrites the cases in the source tree, but '{directory}' (from this file's compile-time path) does not exist");
    }
}
