using System.Text.Json;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary>
/// The tool as a team would ship it: installed with <c>dotnet tool install</c> from the packed
/// Quasar.Cli package into a temporary tool path, then run as <c>quasar</c>. The package comes from
/// <see cref="PackagesVariable"/> (.ci/run packs before the tests); without it, as under a plain
/// <c>dotnet test Engine.sln</c>, the test packs the tool itself into a temporary directory.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed class ToolPackageTests : IDisposable
{
    /// <summary>The directory holding the packed .nupkg files, set by .ci/run.</summary>
    public const string PackagesVariable = "QUASAR_PACKAGES_DIR";

    private readonly TempDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_installed_tool_prints_its_help_runs_the_demo_and_verifies_its_directory()
    {
        string quasar = Install();

        using (CliRun help = CliRun.StartProgram(quasar, "--help"))
        {
            help.WaitForExit();
            Assert.True(help.ExitCode == 0, help.Describe());
            Assert.Contains("demo", help.Stdout, StringComparison.Ordinal);
        }

        using CliRun demo = CliRun.StartProgram(quasar, "demo", "--messages", "1000", "--no-live", "--json", "--dir", Path.Combine(scratch.Path, "db"));
        demo.WaitForExit();
        Assert.True(demo.ExitCode == 0, demo.Describe());
        using JsonDocument summary = JsonDocument.Parse(demo.Stdout);
        Assert.True(summary.RootElement.GetProperty("allReceived").GetBoolean());
        Assert.Equal(1000, summary.RootElement.GetProperty("sent").GetInt64());

        using CliRun verify = CliRun.StartProgram(quasar, "verify", Path.Combine(scratch.Path, "db"));
        verify.WaitForExit();
        Assert.True(verify.ExitCode == 0, verify.Describe());
        Assert.Contains(" 0 error(s)", verify.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Installs the packed tool into a fresh tool path and returns the path of its <c>quasar</c> command.</summary>
    private string Install()
    {
        string packages = Environment.GetEnvironmentVariable(PackagesVariable) is { Length: > 0 } fromCi ? fromCi : Pack();
        string package = Directory.GetFiles(packages, "Quasar.Cli.*.nupkg").Where(IsToolPackage).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new InvalidOperationException($"no Quasar.Cli package in {packages}");
        string version = Path.GetFileNameWithoutExtension(package)["Quasar.Cli.".Length..];
        string toolPath = Path.Combine(scratch.Path, "tools");

        // A private package cache: the shared one may hold an older build under the same version.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch.Path, "nuget-cache") };
        using CliRun install = CliRun.StartProgram(
            CrashChild.DotnetHost(), environment,
            "tool", "install", "Quasar.Cli", "--tool-path", toolPath, "--add-source", packages, "--version", version, "--ignore-failed-sources");
        install.WaitForExit();
        Assert.True(install.ExitCode == 0, install.Describe());
        string quasar = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "quasar.exe" : "quasar");
        Assert.True(File.Exists(quasar), $"{quasar} is missing after the install\n{install.Describe()}");
        return quasar;
    }

    /// <summary>Packs tools/Quasar.Cli in Release into a temporary directory (restored already by the build that built these tests).</summary>
    private string Pack()
    {
        string output = Path.Combine(scratch.Path, "packages");
        string project = Path.Combine(CliRun.RepositoryRoot(), "tools", "Quasar.Cli", "Quasar.Cli.csproj");
        using CliRun pack = CliRun.StartProgram(CrashChild.DotnetHost(), "pack", project, "-c", "Release", "--no-restore", "-o", output);
        pack.WaitForExit();
        Assert.True(pack.ExitCode == 0, pack.Describe());
        return output;
    }

    private static bool IsToolPackage(string path) =>
        char.IsDigit(Path.GetFileName(path)["Quasar.Cli.".Length]) && path.EndsWith(".nupkg", StringComparison.Ordinal);
}
