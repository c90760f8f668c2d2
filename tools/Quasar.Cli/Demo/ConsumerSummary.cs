namespace Quasar.Cli.Demo;

/// <summary>One consumer at the end of a run.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="ResumedAfter">The stored position it resumed after, or null if it started fresh.</param>
/// <param name="Received">Distinct messages of this run it received.</param>
/// <param name="FromEarlierRuns">Leftovers of earlier runs it received.</param>
/// <param name="StoredPosition">The position stored when it closed: the next run resumes after it.</param>
/// <param name="Lag">Ledger entries after <paramref name="StoredPosition"/> when it closed.</param>
/// <param name="Error">Why it stopped early, if it did.</param>
internal sealed record ConsumerSummary(string Name, ulong? ResumedAfter, long Received, long FromEarlierRuns, ulong StoredPosition, long Lag, string? Error);
