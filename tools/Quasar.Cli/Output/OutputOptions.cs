using System.CommandLine;

namespace Quasar.Cli.Output;

/// <summary>
/// The <c>--no-live</c> and <c>--json</c> options, shared by every command that reports progress,
/// and the rule that turns them into an <see cref="OutputMode"/>.
/// </summary>
internal sealed class OutputOptions
{
    /// <summary><c>--no-live</c>: plain lines instead of a redrawn screen.</summary>
    public Option<bool> NoLive { get; } = new("--no-live")
    {
        Description = "Print plain lines once a second instead of the live screen (the default when output is not a terminal).",
    };

    /// <summary><c>--json</c>: the result as one JSON object on stdout.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print only a final JSON summary on stdout (progress lines go to stderr).",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    /// <param name="command">The command that reports progress.</param>
    public void AddTo(Command command)
    {
        command.Add(NoLive);
        command.Add(Json);
    }

    /// <summary>
    /// <c>--json</c> wins; then <c>--no-live</c>; a redirected stdout is never a terminal, so it gets
    /// plain lines too, and so does a terminal Spectre.Console cannot drive interactively.
    /// </summary>
    /// <param name="result">The parsed command line.</param>
    /// <returns>The mode to report in.</returns>
    public OutputMode Resolve(ParseResult result)
    {
        if (result.GetValue(Json))
        {
            return OutputMode.Json;
        }

        if (result.GetValue(NoLive) || Console.IsOutputRedirected || !Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive)
        {
            return OutputMode.Plain;
        }

        return OutputMode.Live;
    }
}
