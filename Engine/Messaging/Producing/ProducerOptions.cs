namespace Quasar;

/// <summary>Options of a <see cref="Producer"/>.</summary>
public sealed record ProducerOptions
{
    /// <summary>The most entries written with one <see cref="Ledger.Write"/>; also the queue's capacity. At least 1.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>
    /// How long an unfinished batch waits for more entries before it is written. Zero: a batch is
    /// written as soon as no further entry is immediately available. Not negative.
    /// </summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>How many times a write that failed with <see cref="LimitReachedException"/> is retried. Not negative; above 0 needs <see cref="Delay"/>.</summary>
    public int Retry { get; init; }

    /// <summary>The pause before each retry. Not negative.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Drop entries whose sequence is at or below the ledger's head (their acks get null) instead of failing the batch.</summary>
    public bool Filter { get; init; }
}
