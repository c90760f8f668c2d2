using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>One run of the crash writer's queue mode, killed with SIGKILL: how it ended and what it reported on stdout.</summary>
/// <param name="Ready">Whether it printed its ready line.</param>
/// <param name="ExitedBeforeKill">Whether it had exited on its own before the kill.</param>
/// <param name="ExitCode">Its exit code (137 after SIGKILL).</param>
/// <param name="Lines">Every line it printed.</param>
/// <param name="Acknowledged">The sequences its producer acknowledged, in the order reported.</param>
/// <param name="Rolls">How many segment rolls it reported.</param>
/// <param name="Cleanings">How many cleaning passes that deleted entries it reported.</param>
/// <param name="Stderr">What it wrote to stderr.</param>
public sealed record QueueCrashRun(
    bool Ready,
    bool ExitedBeforeKill,
    int ExitCode,
    string[] Lines,
    List<ulong> Acknowledged,
    int Rolls,
    int Cleanings,
    string Stderr)
{
    /// <summary>Starts the child, waits until it has opened the queue, lets it work for <paramref name="delay"/>, and kills it.</summary>
    public static QueueCrashRun RunAndKill(string db, string recordsDirectory, string prefix, int seed, TimeSpan delay)
    {
        using CrashChild child = CrashChild.Start(CrashProtocol.QueueArguments(db, recordsDirectory, prefix, seed));
        if (child.WaitReady())
        {
            Thread.Sleep(delay);
        }

        child.Kill();
        string[] all = child.Lines;
        var acknowledged = new List<ulong>();
        foreach (string line in all)
        {
            if (CrashProtocol.TryParseWritten(line, out ulong first, out ulong last))
            {
                for (ulong sequence = first; sequence <= last; sequence++)
                {
                    acknowledged.Add(sequence);
                }
            }
        }

        return new QueueCrashRun(
            child.IsReady,
            child.ExitedBeforeKill,
            child.ExitCode,
            all,
            acknowledged,
            all.Count(l => l == CrashProtocol.RollMarker),
            all.Count(l => l == CrashProtocol.CleanMarker),
            child.Stderr);
    }
}
