namespace Quasar.Cli.Demo;

/// <summary>One consumer's progress.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="Received">Messages of this run received.</param>
/// <param name="PerSecond">Received in the last interval, per second.</param>
/// <param name="FromEarlierRuns">Leftovers of earlier runs received.</param>
/// <param name="StoredPosition">The first position stored in the queue's table: a restart resumes after it.</param>
/// <param name="Lag">Ledger entries after the stored position.</param>
internal sealed record ConsumerState(string Name, long Received, double PerSecond, long FromEarlierRuns, ulong StoredPosition, long Lag);
