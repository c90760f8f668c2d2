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

    /// <summary>The cleaner's <see cref="CleanerOptions.Interval"/>; zero: no cleaner. Not negative.</summary>
    public TimeSpan CleanInterval { get; init; }

    /// <summary>The cleaner's <see cref="CleanerOptions.Errors"/>.</summary>
    public Action<Exception>? CleanErrors { get; init; }
}
