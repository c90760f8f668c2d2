using System.Text.Json;
using Quasar.Tests.Support;

namespace Quasar.Tests.Cli;

/// <summary><c>quasar demo</c> run as a user runs it: a child process on a temporary directory.</summary>
[Collection(ToolCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_run_of_20000_messages_exits_0_and_every_consumer_receives_every_message()
    {
        using CliRun run = CliRun.Complete("demo", "--messages", "20000", "--no-live", "--json", "--dir", directory.Path);

        Assert.True(run.ExitCode == 0, run.Describe());
        using JsonDocument summary = JsonDocument.Parse(run.Stdout);
        JsonElement root = summary.RootElement;
        Assert.Equal("completed", root.GetProperty("outcome").GetString());
        Assert.Equal(20_000, root.GetProperty("sent").GetInt64());
        Assert.True(root.GetProperty("allReceived").GetBoolean());
        Assert.All(root.GetProperty("consumers").EnumerateArray(), consumer => Assert.Equal(20_000, consumer.GetProperty("received").GetInt64()));
    }

    [Fact]
    public void Sigint_stops_a_running_demo_with_exit_0_and_a_summary()
    {
        using JsonDocument summary = RunUntilInterrupted();

        JsonElement root = summary.RootElement;
        Assert.Equal("interrupted", root.GetProperty("outcome").GetString());
        Assert.Equal(0, root.GetProperty("failed").GetInt64());
        Assert.All(root.GetProperty("consumers").EnumerateArray(), consumer => Assert.NotEqual(0UL, consumer.GetProperty("storedPosition").GetUInt64()));
    }

    [Fact]
    public void A_rerun_after_sigint_resumes_each_named_consumer_after_its_stored_position()
    {
        Dictionary<string, ulong> stored;
        using (JsonDocument interrupted = RunUntilInterrupted())
        {
            stored = interrupted.RootElement.GetProperty("consumers").EnumerateArray()
                .ToDictionary(consumer => consumer.GetProperty("name").GetString()!, consumer => consumer.GetProperty("storedPosition").GetUInt64());
        }

        using CliRun rerun = CliRun.Complete("demo", "--messages", "1000", "--no-live", "--dir", directory.Path);

        Assert.True(rerun.ExitCode == 0, rerun.Describe());
        Assert.Equal(["c1", "c2"], stored.Keys.Order());
        foreach ((string name, ulong position) in stored)
        {
            Assert.Contains($"consumer {name} resumes after {position} (stored position)", rerun.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>Starts a 60-second demo at a modest fixed rate, waits for its first progress line, sends SIGINT and returns its JSON summary (after asserting exit 0).</summary>
    private JsonDocument RunUntilInterrupted()
    {
        using CliRun run = CliRun.Start("demo", "--seconds", "60", "--rate", "20000", "--no-live", "--json", "--dir", directory.Path);
        run.WaitForLine("running");
        run.Interrupt();
        run.WaitForExit();

        Assert.True(run.ExitCode == 0, run.Describe());
        return JsonDocument.Parse(run.Stdout);
    }
}
