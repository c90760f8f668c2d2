using System.Diagnostics.Metrics;
using Quasar.Diagnostics;

namespace Quasar.Nats;

/// <summary>
/// The bridge's instruments on the engine's <c>Quasar</c> meter (<see cref="QuasarMetrics.Meter"/>),
/// tagged like the consumers' counters: <c>ledger</c> (the ledger's prefix) and <c>consumer</c>
/// (the mirror's consumer name, or the ingest's durable name).
/// </summary>
/// <remarks>Protocol: instruments are thread-safe. A mirror's lag is its consumer's, on the engine's <c>quasar.consumer.lag</c> gauge (tag <c>consumer</c> = the mirror's name).</remarks>
internal static class NatsMetrics
{
    /// <summary>Entries the server acknowledged (stored, or held already as a duplicate).</summary>
    public static readonly Counter<long> Published = QuasarMetrics.Meter.CreateCounter<long>(
        "quasar.nats.mirror.published", "{entry}", "Ledger entries acknowledged by JetStream.");

    /// <summary>Milliseconds from handing an entry to the connection to its publish acknowledgement.</summary>
    public static readonly Histogram<double> AckDuration = QuasarMetrics.Meter.CreateHistogram<double>(
        "quasar.nats.mirror.ack.duration", "ms", "Time from publishing a ledger entry to JetStream's acknowledgement.");

    /// <summary>Stream messages written into ledgers (redeliveries dropped by the producer's filter are not counted).</summary>
    public static readonly Counter<long> Ingested = QuasarMetrics.Meter.CreateCounter<long>(
        "quasar.nats.ingest.written", "{entry}", "JetStream messages written into ledgers.");

    /// <summary>The tags of one mirror or ingest.</summary>
    public static KeyValuePair<string, object?>[] Tags(string ledger, string consumer) =>
        [new("ledger", ledger), new("consumer", consumer)];
}
