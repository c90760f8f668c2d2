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

    /// <summary>
    /// Entries older than this are deleted whatever the tables' positions, like <see cref="Threshold"/>
    /// (zero: off). An entry's age is read from the timestamp in its sequence
    /// (<see cref="Sequence.Split"/>, whole seconds) against <see cref="DbOptions.TimeProvider"/>;
    /// an entry is deleted once its whole second lies more than MaxAge in the past.
    /// <see cref="Retention"/> entries are still always kept. Not negative.
    /// </summary>
    public TimeSpan MaxAge { get; init; }

    /// <summary>
    /// While the ledger's entries take more than this many bytes, the oldest are deleted whatever the
    /// tables' positions, like <see cref="Threshold"/> (zero: off). Bytes are those of the entries'
    /// records in the segment files: each payload plus its per-entry framing, read from the index's
    /// offsets (so measuring costs no data read); a batch's header counts with the entry before it.
    /// <see cref="Retention"/> entries are still always kept. Not negative.
    /// </summary>
    public long MaxBytes { get; init; }

    /// <summary>The time between passes; the first pass runs one interval after construction. Above zero.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>Tables whose lowest first position the cleaner never deletes past (except above <see cref="Threshold"/>).</summary>
    public IReadOnlyList<Table> Tables { get; init; } = [];

    /// <summary>Receives the error of a failed pass (the next interval retries); runs on the cleaner's loop.</summary>
    public Action<Exception>? Errors { get; init; }
}
