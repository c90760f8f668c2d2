using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Quasar.Cli.Inspection;
using Quasar.Cli.Output;
using Quasar.Storage;
using Spectre.Console;

namespace Quasar.Cli.Commands;

/// <summary>
/// <c>quasar verify DIR</c>: runs the consistency checker (<see cref="DbInspector.Check"/>) and
/// prints each problem with its severity, file and byte offset. Errors exit 1; warnings (states
/// recovery repairs on open) are printed but exit 0.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The <c>verify</c> command.</returns>
    public static Command Create()
    {
        Argument<string> directory = DirectoryArgument.Create();
        Option<bool> json = JsonOutput.CreateOption("the problems and summary counts");
        var command = new Command("verify", "Check every file of a database directory (segments, indexes, tail records, tables, consumer positions) without taking its lock; one line per problem with its file and byte offset. Exit 1 when an error is found; warnings alone exit 0.")
        {
            directory, json,
        };
        command.SetAction(result => Run(result.GetRequiredValue(directory), result.GetValue(json)));
        return command;
    }

    private static int Run(string directory, bool json)
    {
        var elapsed = Stopwatch.StartNew();
        DbInspector inspector = DbInspector.Open(directory);
        bool bar = !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var progress = new LatestProgress();
        List<CheckProblem> problems = bar ? CheckWithBar(inspector, progress) : [.. inspector.Check(progress)];
        VerifySummary summary = VerifySummary.Count(inspector, problems, progress.Latest, elapsed.Elapsed);
        if (json)
        {
            WriteJson(inspector, problems, summary);
        }
        else
        {
            foreach (CheckProblem problem in problems)
            {
                Console.WriteLine(Line(inspector, problem));
            }

            Console.WriteLine(summary.Line());
        }

        return summary.Errors > 0 ? ExitCodes.Problems : ExitCodes.Ok;
    }

    /// <summary>One problem: severity, file relative to the directory, offset, message.</summary>
    private static string Line(DbInspector inspector, CheckProblem problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{Severity(problem.Severity),-7} {Paths.Relative(inspector.Directory, problem.FilePath)} at offset {problem.Offset}: {problem.Message}");

    private static string Severity(ProblemSeverity severity) => severity == ProblemSeverity.Error ? "error" : "warning";

    /// <summary>Runs the check under a Spectre progress bar in bytes checked.</summary>
    private static List<CheckProblem> CheckWithBar(DbInspector inspector, LatestProgress progress)
    {
        var problems = new List<CheckProblem>();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("checking");
                progress.Changed = p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalBytes);
                    task.Value = p.BytesChecked;
                };
                problems.AddRange(inspector.Check(progress));
                task.Value = task.MaxValue;
            });
        return problems;
    }

    private static void WriteJson(DbInspector inspector, List<CheckProblem> problems, VerifySummary summary) =>
        JsonOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("problems");
            foreach (CheckProblem problem in problems)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", Severity(problem.Severity));
                writer.WriteString("file", Paths.Relative(inspector.Directory, problem.FilePath));
                writer.WriteNumber("offset", problem.Offset);
                writer.WriteString("message", problem.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("summary");
            writer.WriteNumber("stores", summary.Stores);
            writer.WriteNumber("segments", summary.Segments);
            writer.WriteNumber("entries", summary.Entries);
            writer.WriteNumber("bytesChecked", summary.BytesChecked);
            writer.WriteNumber("errors", summary.Errors);
            writer.WriteNumber("warnings", summary.Warnings);
            writer.WriteNumber("elapsedMs", (long)summary.Elapsed.TotalMilliseconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    /// <summary>Keeps the last progress report (the bytes checked for the summary) and forwards each to the bar, on the checking thread.</summary>
    private sealed class LatestProgress : IProgress<CheckProgress>
    {
        /// <summary>The last report.</summary>
        public CheckProgress Latest { get; private set; }

        /// <summary>Called with each report, when set.</summary>
        public Action<CheckProgress>? Changed { get; set; }

        /// <inheritdoc/>
        public void Report(CheckProgress value)
        {
            Latest = value;
            Changed?.Invoke(value);
        }
    }
}
