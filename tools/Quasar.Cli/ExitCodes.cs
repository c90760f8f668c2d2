namespace Quasar.Cli;

/// <summary>
/// The process exit codes every command uses, so scripts can tell a clean run from a run that
/// found something wrong and from a command line that was not understood.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked and found nothing wrong.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found problems (for <c>demo</c>: a sent message some consumer never received, or a failed write).</summary>
    public const int Problems = 1;

    /// <summary>The command line was not understood: unknown command or option, or a value out of range.</summary>
    public const int Usage = 2;

    /// <summary>The section <c>--help</c> appends to every command's help.</summary>
    public const string HelpSection = """
        Exit codes:
          0  ok
          1  problems found
          2  usage error (unknown command or option, bad value)
        """;
}
