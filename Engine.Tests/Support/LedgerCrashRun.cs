using Quasar.CrashWriter;

namespace Quasar.Tests.Support;

/// <summary>One run of the crash writer's ledger mode, killed with SIGKILL: how it ended and what it reported.</summary>
/// <param name="Ready">Whether it printed its ready line.</param>
/// <param name="ExitedBeforeKill">Whether it had exited on its own before the kill.</param>
/// <param name="ExitCode">Its exit code (137 after SIGKILL).</param>
/// <param name="Lines">Every line it printed.</param>
/// <param name="Acks">The batches it reported written, in order.</param>
/// <param name="Deletes">The sequences it reported deleted up to, in order.</param>
/// <param name="Stderr">What it wrote to stderr.</param>
public sealed record LedgerCrashRun(
    bool Ready,
    bool ExitedBeforeKill,
    int ExitCode,
    string[] Lines,
    List<(ulong First, ulong Last)> Acks,
    List<ulong> Deletes,
    string Stderr)
{
    /// <summary>Starts the child, waits until it has opened the ledger, lets it write for <paramref name="delay"/>, and kills it.</summary>
    public static LedgerCrashRun RunAndKill(string db, string prefix, int seed, bool syncWrites, TimeSpan delay)
    {
        using CrashChild child = CrashChild.Start(CrashProtocol.LedgerArguments(db, prefix, seed, syncWrites));
        if (child.WaitReady())
        {
            Thread.Sleep(delay);
        }

        child.Kill();
        string[] all = child.Lines;
        return new LedgerCrashRun(
            child.IsReady,
            child.ExitedBeforeKill,
            child.ExitCode,
            all,
            ParseAcks(all),
            ParseDeletes(all),
            child.Stderr);
    }

    /// <summary>The batches the child reported written, in order.</summary>
    private static List<(ulong First, ulong Last)> ParseAcks(string[] lines)
    {
        var acks = new List<(ulong First, ulong Last)>();
        foreach (string line in lines)
        {
            if (CrashProtocol.TryParseWritten(line, out ulong first, out ulong last))
            {
                acks.Add((first, last));
            }
        }

        return acks;
    }

    /// <summary>The sequences the child reported deleted up to, in order.</summary>
    private static List<ulong> ParseDeletes(string[] lines)
    {
        var deletes = new List<ulong>();
        foreach (string line in lines)
        {
            if (CrashProtocol.TryParseDeleted(line, out ulong sequence))
            {
                deletes.Add(sequence);
            }
        }

        return deletes;
    }
}
