using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Quasar.Cli.Commands;

namespace Quasar.Cli;

/// <summary>
/// The <c>quasar</c> command tree and how a command line becomes an exit code. Each command lives
/// in its own file under <c>Commands/</c> and is added in <see cref="CreateRoot"/>.
/// </summary>
internal static class QuasarApp
{
    /// <summary>Parses <paramref name="args"/>, reports a usage error with exit code 2, else runs the command.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The process exit code (<see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        RootCommand root = CreateRoot();
        ParseResult result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            foreach (System.CommandLine.Parsing.ParseError error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'quasar --help' (or 'quasar <command> --help') for usage.");
            return ExitCodes.Usage;
        }

        // The commands handle Ctrl+C themselves (Output/StopSignal): they must flush and report
        // before exiting, which the parser's own handling would cut short.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>The root command with every command added and the exit codes appended to <c>--help</c>.</summary>
    /// <returns>The root command.</returns>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("quasar: the command-line tool of the Quasar messaging engine.")
        {
            DemoCommand.Create(),
            VerifyCommand.Create(),
            StatCommand.Create(),
            DumpCommand.Create(),
            PositionsCommand.Create(),
        };

        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        return root;
    }

    /// <summary>The standard help, followed by the exit codes (the help option is recursive, so every command shows them).</summary>
    private sealed class HelpWithExitCodes(HelpAction standard) : SynchronousCommandLineAction
    {
        /// <inheritdoc/>
        public override bool ClearsParseErrors => true;

        /// <inheritdoc/>
        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.HelpSection);
            return code;
        }
    }
}
