namespace Quasar;

/// <summary>Options of a <see cref="Consumer"/>.</summary>
public sealed record ConsumerOptions
{
    /// <summary>The name its positions are stored under; null or empty makes a temporary consumer that stores nothing.</summary>
    public string? Name { get; init; }

    /// <summary>The first sequence to deliver when nothing is stored for <see cref="Name"/>.</summary>
    public ulong Start { get; init; }

    /// <summary>Receives the error the consumer dies with; runs on the consumer's loop.</summary>
    public Action<Exception>? Errors { get; init; }

    /// <summary>How many entries are read from the ledger at once; also the capacity of <see cref="Consumer.Entries"/>. At least 1.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>
    /// The most entries (delivered, or stored beyond the first position) that may lie above the
    /// consumer's fully marked prefix: one entry never marked stops delivery after this many. At least 1.
    /// </summary>
    public int Window { get; init; } = 1;

    /// <summary>
    /// How many marks are held in memory before the next one writes them all to the table (every
    /// <c>Skip + 1</c>-th mark writes). Not negative, and below <see cref="Window"/>.
    /// </summary>
    public int Skip { get; init; }

    /// <summary>Held marks are written this long after the first of them was held (zero: only by count and on dispose). Not negative.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>When the window is full and no mark arrives for this long, the consumer dies with <see cref="ConsumerDeadlockException"/> (zero: never). Not negative.</summary>
    public TimeSpan Deadline { get; init; }
}
