namespace Quasar.Tests.Cli;

/// <summary>The quasar tool's command line: help on every command, and the usage-error exit code.</summary>
[Collection(ToolCollection.Name)]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("demo", "--help")]
    [InlineData("verify", "--help")]
    [InlineData("stat", "--help")]
    [InlineData("dump", "--help")]
    [InlineData("positions", "--help")]
    [InlineData("positions", "set", "--help")]
    public void Help_exits_0_and_lists_the_exit_codes(params string[] arguments)
    {
        using CliRun run = CliRun.Complete(arguments);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Exit codes:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_exits_2()
    {
        using CliRun run = CliRun.Complete("demo", "--no-such-option");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--no-such-option", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_of_range_value_exits_2()
    {
        using CliRun run = CliRun.Complete("demo", "--payload", "3");

        Assert.Equal(2, run.ExitCode);
    }
}
