namespace Quasar;

/// <summary>Options of a <see cref="Ledger"/>.</summary>
public sealed record LedgerOptions
{
    /// <summary>The ledger's name within its database: 1 to 100 of <c>[A-Za-z0-9._:-]</c>, not "." or "..".</summary>
    public required string Prefix { get; init; }

    /// <summary>How many of the newest entries to keep in memory for fast reads (0 = none). Not negative.</summary>
    public int Cache { get; init; }

    /// <summary>The most entries the ledger may hold (0 = unlimited); a write beyond it fails with <see cref="LimitReachedException"/>. Not negative.</summary>
    public long Limit { get; init; }
}
