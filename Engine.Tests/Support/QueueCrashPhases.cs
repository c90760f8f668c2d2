using Microsoft.Extensions.Logging;

namespace Quasar.Tests.Support;

/// <summary>
/// Where the queue crash test's kills landed, told from what each kill left behind: a table
/// rewrite's temporary file (killed during a rewrite), a segment recovery removed as incomplete
/// or an index it rebuilt (during a roll, or the seal before one), segments at or below the tail that recovery unlinked (during a cleaning, after
/// the tail was persisted), and torn tails of a segment or the table (during a write). Plus the
/// work the children reported doing: rolls, cleanings and rewrites.
/// </summary>
public sealed class QueueCrashPhases
{
    // The event ids of Engine/Diagnostics/Log.cs.
    private const int TailTruncated = 11;
    private const int IndexRebuilt = 12;
    private const int FileRemoved = 13;
    private const int SegmentDeleted = 15;

    private readonly SortedDictionary<string, int> kills = new(StringComparer.Ordinal);

    /// <summary>Segment rolls the children reported.</summary>
    public long Rolls { get; private set; }

    /// <summary>Cleaning passes (that deleted entries) the children reported.</summary>
    public long Cleanings { get; private set; }

    /// <summary>Table rewrites the children did (the table file's generation went up by this much).</summary>
    public long Rewrites { get; private set; }

    /// <summary>Takes in one killed run: its reports, the table generations before and after it, and what recovery logged.</summary>
    public IReadOnlyList<string> Add(QueueCrashRun run, ulong generationBefore, ulong generationAfter, IEnumerable<LoggedMessage> recovery)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(recovery);
        Rolls += run.Rolls;
        Cleanings += run.Cleanings;
        Rewrites += (long)(generationAfter - generationBefore);
        var landed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (LoggedMessage message in recovery)
        {
            string file = message.Value("File") as string ?? string.Empty;
            string? phase = message.EventId.Id switch
            {
                FileRemoved when file.EndsWith("table.log.tmp", StringComparison.Ordinal) => "table rewrite",
                FileRemoved when file.EndsWith(".seg", StringComparison.Ordinal) => "segment roll",
                IndexRebuilt => "segment roll or seal (index rebuilt)",
                SegmentDeleted => "cleaning (segments unlinked after the tail)",
                TailTruncated when file.EndsWith(".seg", StringComparison.Ordinal) => "ledger write (torn tail)",
                TailTruncated => "table write (torn tail)",
                _ when message.Level >= LogLevel.Warning => $"other: event {message.EventId.Id} on {Path.GetFileName(file)}",
                _ => null,
            };
            if (phase is not null)
            {
                landed.Add(phase);
            }
        }

        foreach (string phase in landed)
        {
            kills[phase] = kills.GetValueOrDefault(phase) + 1;
        }

        return [.. landed];
    }

    /// <summary>How many kills landed in each phase, one line.</summary>
    public string Describe(int iterations) =>
        $"kills (of {iterations}) that landed during: "
        + (kills.Count == 0 ? "none detectable" : string.Join("; ", kills.Select(k => $"{k.Key} {k.Value}")))
        + $". Work done by the children: {Rolls} rolls, {Cleanings} cleanings, {Rewrites} table rewrites";
}
