namespace Quasar.Tests.Support;

/// <summary>Counts over all iterations of the table crash test.</summary>
public sealed class TableCrashTotals
{
    /// <summary>Acknowledged sets.</summary>
    public long Sets { get; private set; }

    /// <summary>Acknowledged deletes.</summary>
    public long Deletes { get; private set; }

    /// <summary>Rewrites seen while a child ran (generation steps).</summary>
    public ulong Rewrites { get; private set; }

    /// <summary>Runs during which at least one rewrite happened.</summary>
    public int RunsWithRewrite { get; private set; }

    /// <summary>Kills that left a <c>table.log.tmp</c> behind.</summary>
    public int KillsInsideRewrite { get; private set; }

    /// <summary>Calls in flight at a kill that were found applied.</summary>
    public int InFlightApplied { get; set; }

    /// <summary>What recovery logged as warnings.</summary>
    public List<string> RecoveryWarnings { get; } = [];

    /// <summary>Adds one run.</summary>
    public void Add(TableCrashReplay replay, TableFileAfterKill kill)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(kill);
        Sets += replay.Sets;
        Deletes += replay.Deletes;
        Rewrites += kill.Generation - kill.GenerationBefore;
        RunsWithRewrite += kill.Generation > kill.GenerationBefore ? 1 : 0;
        KillsInsideRewrite += kill.TemporaryLeft ? 1 : 0;
    }
}
