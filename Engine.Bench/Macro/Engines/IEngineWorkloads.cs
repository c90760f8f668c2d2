namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// One engine's form of the macro workloads of BENCH.md. Every method works on sequences
/// 1..entries with <see cref="BenchPayload"/> payloads, opens what it needs itself, verifies what
/// it reads (count and each payload's sequence), and returns only the time it measured; what it
/// does outside that window (opening before a read loop, closing after a sync) is untimed.
/// </summary>
public interface IEngineWorkloads
{
    /// <summary>The name used by <c>--engines</c> and in every output line.</summary>
    string Name { get; }

    /// <summary>Whether this engine runs the workload (W1..W4, W6; W5 runs on engines that implement <see cref="IQueueWorkload"/>).</summary>
    bool Supports(string workload);

    /// <summary>How this engine runs the workload: durability and access path, printed beside every row.</summary>
    string Mode(string workload);

    /// <summary>
    /// W1/W2 and the untimed load of W3/W4/W6: creates the store in the empty
    /// <paramref name="directory"/> and appends 1..<paramref name="entries"/>, <paramref name="batch"/>
    /// per write. <paramref name="durableEachWrite"/>: each write durable before the next (W2);
    /// otherwise made durable once at the end (W1). Timed: from opening to the store being durable.
    /// </summary>
    TimeSpan Append(string directory, int entries, int batch, bool durableEachWrite);

    /// <summary>W4: opens the loaded store and answers a first query (its newest sequence). Timed: all of it.</summary>
    TimeSpan Open(string directory, int entries);

    /// <summary>W3: reopens the loaded store (untimed) and reads every entry in order, 1,000 at a time. Timed: the reads.</summary>
    TimeSpan ReadAll(string directory, int entries);

    /// <summary>
    /// W6: reopens the loaded store, does 1,000 untimed random point reads, then
    /// <paramref name="reads"/> timed ones (uniform over 1..entries, seeded).
    /// </summary>
    TimeSpan PointReads(string directory, int entries, int reads, int seed);
}
