namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// The capability W5 needs: an engine with a queue (producer, named consumer, cleaner) of its own.
/// Only engines that implement it run W5; the others have no queue to compare.
/// </summary>
public interface IQueueWorkload
{
    /// <summary>
    /// W5 with BENCH.md's parameters on the empty <paramref name="directory"/>: <paramref name="entries"/>
    /// entries through the queue, each timestamped when written and when received. Timed: from the
    /// first write until the consumer has received the last entry.
    /// </summary>
    QueueRun RunQueue(string directory, int entries);
}

/// <summary>W5's outcome: time until the consumer had all, and the latencies from Write call to receipt.</summary>
public readonly record struct QueueRun(TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs);
