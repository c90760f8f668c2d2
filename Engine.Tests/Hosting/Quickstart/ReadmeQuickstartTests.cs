using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Quasar.Tests.Cli;
using Quasar.Tests.Support;

namespace Quasar.Tests.Hosting.Quickstart;

/// <summary>
/// Issue 14's "the hosting quickstart in the README compiles and runs as written": the README's
/// files are built (<see cref="QuickstartProject"/>) and the program run as a child process on a
/// temporary database directory, on a free loopback port, then stopped with SIGINT as Ctrl+C would.
/// It runs beside the tool tests, not in parallel with other builds and child processes.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed partial class ReadmeQuickstartTests : IDisposable
{
    private readonly TempDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task The_README_quickstart_builds_bills_posted_orders_reports_healthy_and_stops_on_Ctrl_C()
    {
        (string project, string dll) = QuickstartProject.Build(ReadmeQuickstart.Read(), scratch.Path);

        using CliRun run = CliRun.StartProgram(
            CrashChild.DotnetHost(),
            dll, "--contentRoot", project, "--urls", "http://127.0.0.1:0", "--Quasar:Directory", Path.Combine(scratch.Path, "data"));
        run.WaitForLine("Now listening on: ");
        using HttpClient client = new() { BaseAddress = new Uri(ListeningOn().Match(run.Stdout).Groups["address"].Value) };

        ulong[] sequences = [await PostOrderAsync(client, "book"), await PostOrderAsync(client, "lamp")];
        foreach (ulong sequence in sequences)
        {
            run.WaitForLine($"Billed order {sequence}: ");
        }

        string health = await client.GetStringAsync(new Uri("/health", UriKind.Relative)).Within();
        run.Interrupt();
        run.WaitForExit();

        Assert.Equal("Healthy", health);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Application is shutting down", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", run.Stdout, StringComparison.Ordinal);
    }

    private static async Task<ulong> PostOrderAsync(HttpClient client, string item)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri("/orders", UriKind.Relative), new { item }).Within();
        response.EnsureSuccessStatusCode();
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("sequence").GetUInt64();
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://\S+)")]
    private static partial Regex ListeningOn();
}
