namespace Quasar.Bench.Macro.Engines;

/// <summary>
/// The capability W9 needs: publishing 1..entries to a local JetStream stream
/// (<see cref="Nats.BenchStream"/>), each acknowledged. Quasar runs it through its
/// <c>LedgerMirror</c>, the <c>nats</c> engine as a plain NATS.Net publisher (the ceiling).
/// </summary>
public interface IMirrorWorkload
{
    /// <summary>
    /// W9 on the empty <paramref name="directory"/> against the server at <paramref name="natsUrl"/>
    /// (stream not created yet). Timed: from the first write (or publish) to the last acknowledgement.
    /// </summary>
    LatencyRun Mirror(string directory, int entries, string natsUrl);
}
