namespace Quasar;

/// <summary>Options of a <see cref="Queue"/>.</summary>
public sealed record QueueOptions
{
    /// <summary>The queue's name: a prefix (see <see cref="LedgerOptions.Prefix"/>) of at most 98 characters, leaving room for ":l" and ":t".</summary>
    public required string Prefix { get; init; }

    /// <summary>The ledger's <see cref="LedgerOptions.Cache"/>.</summary>
    public int LedgerCache { get; init; }

    /// <summary>The ledger's <see cref="LedgerOptions.Limit"/>.</summary>
    public long LedgerLimit { get; init; }

    /// <summary>The table's <see cref="TableOptions.Cache"/>.</summary>
    public bool TableCache { get; init; }

    /// <summary>The cleaner's <see cref="CleanerOptions.Retention"/>.</summary>
    public long CleanRetention { get; init; }

    /// <summary>The cleaner's <see cref="CleanerOptions.Threshold"/>.</summary>
    public long CleanThreshold { get; init; }

    /// <summary>
    /// The cleaner's <see cref="CleanerOptions.MaxAge"/>: entries older than this are deleted whatever
    /// the consumers' positions (zero: off; Kafka's <c>retention.ms</c>, JetStream's <c>MaxAge</c>).
    /// Needs <see cref="CleanInterval"/> above zero to take effect. Not negative.
    /// </summary>
    public TimeSpan CleanMaxAge { get; init; }

    /// <summary>
    /// The cleaner's <see cref="CleanerOptions.MaxBytes"/>: while the ledger's entries take more than
    /// this many bytes, the oldest are deleted whatever the consumers' positions (zero: off; Kafka's
    /// <c>retention.bytes</c>, JetStream's <c>MaxBytes</c>). Needs <see cref="CleanInterval"/> above
    /// zero to take effect. Not negative.
    /// </summary>
    public long CleanMaxBytes { get; init; }

    /// <summary>The cleaner's <see cref="CleanerOptions.Interval"/>; zero: no cleaner. Not negative.</summary>
    public TimeSpan CleanInterval { get; init; }

    /// <summary>The cleaner's <see cref="CleanerOptions.Errors"/>.</summary>
    public Action<Exception>? CleanErrors { get; init; }
}
