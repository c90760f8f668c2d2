namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// The capability W7 needs: many concurrent writers, each awaiting its own durable write of one
/// entry, with sequences the engine assigns. Only engines that implement it run W7.
/// </summary>
public interface IConcurrentDurableWorkload
{
    /// <summary>
    /// W7 on the empty <paramref name="directory"/>: <paramref name="writers"/> concurrent writers
    /// write <paramref name="entries"/> entries in all, one per write, each write durable before
    /// its writer goes on; the engine assigns the sequences. Afterwards (untimed) verifies that
    /// every entry is stored exactly once, in strictly increasing sequences. Timed: from the
    /// writers' start until the last write is durable; latency per write from its call to its return.
    /// </summary>
    ConcurrentRun ConcurrentDurable(string directory, int entries, int writers);
}

/// <summary>W7's outcome: time until every write was durable, the latencies per write, and engine-specific counts (e.g. syncs).</summary>
public sealed record ConcurrentRun(TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>Extra metrics the engine reports (name = value), added to the result line.</summary>
    public Dictionary<string, double> Extra { get; } = [];
}
