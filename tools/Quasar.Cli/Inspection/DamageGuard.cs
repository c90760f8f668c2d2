namespace Quasar.Cli.Inspection;

/// <summary>
/// Runs a reading command that streams entries (<c>stat</c>'s lag, <c>dump --entries</c>): the
/// inspector throws <see cref="CorruptionException"/> when damage lies before the entries asked
/// for, as a ledger read would. That is a finding about the directory (exit 1, with the file and
/// offset), not a crash.
/// </summary>
internal static class DamageGuard
{
    /// <summary>Runs <paramref name="command"/>; damage becomes a message on stderr and <see cref="ExitCodes.Problems"/>.</summary>
    /// <param name="command">The command's work, returning its exit code.</param>
    /// <returns>The exit code.</returns>
    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (CorruptionException error)
        {
            Console.Error.WriteLine($"The directory is damaged: {error.Message}");
            Console.Error.WriteLine("Run 'quasar verify DIR' to list every problem.");
            return ExitCodes.Problems;
        }
    }
}
