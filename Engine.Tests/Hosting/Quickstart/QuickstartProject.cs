using System.Text.RegularExpressions;
using Quasar.Tests.Cli;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting.Quickstart;

/// <summary>
/// The README's quickstart written into a directory and built with <c>dotnet build</c>, against the
/// Quasar.Hosting package .ci/run packed (<see cref="ToolPackageTests.PackagesVariable"/>), as a user
/// would reference it. Without that variable, as under a plain <c>dotnet test Engine.sln</c>, the
/// project file's package reference is swapped for a project reference to Engine.Hosting.csproj;
/// everything else stays as printed.
/// </summary>
internal static partial class QuickstartProject
{
    /// <summary>Writes and builds the project in <paramref name="directory"/>; returns its directory and built assembly.</summary>
    public static (string Directory, string Assembly) Build(ReadmeQuickstart quickstart, string directory)
    {
        string project = Path.Combine(directory, "app");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "appsettings.json"), quickstart.AppSettings);
        File.WriteAllText(Path.Combine(project, "Program.cs"), quickstart.Program);

        Match reference = HostingReference().Match(quickstart.ProjectFile);
        Assert.True(reference.Success, $"the quickstart's project file has no <PackageReference Include=\"Quasar.Hosting\" Version=\"...\" />:\n{quickstart.ProjectFile}");
        Dictionary<string, string> environment = [];
        string projectFile = quickstart.ProjectFile;
        if (Environment.GetEnvironmentVariable(ToolPackageTests.PackagesVariable) is { Length: > 0 } packages)
        {
            string version = reference.Groups["version"].Value;
            Assert.True(File.Exists(Path.Combine(packages, $"Quasar.Hosting.{version}.nupkg")), $"no Quasar.Hosting {version} package in {packages} (the README names version {version})");
            File.WriteAllText(Path.Combine(project, "nuget.config"), NuGetConfig(packages));
            // A private package cache: the shared one may hold an older build under the same version.
            environment["NUGET_PACKAGES"] = Path.Combine(directory, "nuget-cache");
        }
        else
        {
            string hosting = Path.Combine(CliRun.RepositoryRoot(), "Engine.Hosting", "Engine.Hosting.csproj");
            projectFile = projectFile.Replace(reference.Value, $"<ProjectReference Include=\"{hosting}\" />", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(project, ReadmeQuickstart.ProjectName + ".csproj"), projectFile);
        using CliRun build = CliRun.StartProgram(CrashChild.DotnetHost(), environment, "build", project, "-nologo", "-v", "q");
        build.WaitForExit();
        Assert.True(build.ExitCode == 0, $"the README quickstart does not build\n{build.Describe()}");
        string dll = Path.Combine(project, "bin", "Debug", "net10.0", ReadmeQuickstart.ProjectName + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing after the build\n{build.Describe()}");
        return (project, dll);
    }

    /// <summary>
    /// Quasar packages from the packed directory only; every other package from the shared package
    /// cache, which the solution's restore filled, read as a local feed (no network needed).
    /// </summary>
    private static string NuGetConfig(string packages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="quasar" value="{packages}" />
            <add key="cache" value="{SharedPackageCache()}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="quasar">
              <package pattern="Quasar" />
              <package pattern="Quasar.*" />
            </packageSource>
            <packageSource key="cache">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static string SharedPackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [GeneratedRegex("""<PackageReference Include="Quasar\.Hosting" Version="(?<version>[^"]+)" />""")]
    private static partial Regex HostingReference();
}
