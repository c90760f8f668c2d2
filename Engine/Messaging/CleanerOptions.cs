namespace Quasar;

/// <summary>Options of a <see cref="Cleaner"/>.</summary>
public sealed record CleanerOptions
{
    /// <summary>How many of the newest entries are always kept. Not negative.</summary>
    public long Retention { get; init; }

    /// <summary>
    /// Above this many entries the cleaner deletes regardless of the tables' positions, down to
    /// this many (0 = off). Not negative.
    /// </summary>
    public long Threshold { get; init; }

    /// <summary>The time between passes; the first pass runs one interval after construction. Above zero.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>Tables whose lowest first position the cleaner never deletes past (except above <see cref="Threshold"/>).</summary>
    public IReadOnlyList<Table> Tables { get; init; } = [];

    /// <summary>Receives the error of a failed pass (the next interval retries); runs on the cleaner's loop.</summary>
    public Action<Exception>? Errors { get; init; }
}
