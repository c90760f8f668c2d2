using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Quasar.Diagnostics;

namespace Quasar;

/// <summary>
/// The <c>quasar.consumer.lag</c> gauge: for each live named consumer, the number of entries in
/// its ledger after its first stored position (tags <c>consumer</c> and <c>ledger</c>).
/// </summary>
internal static class ConsumerLag
{
    private static readonly ConcurrentDictionary<Consumer, byte> Live = new();

    private static readonly ObservableGauge<long> Gauge = QuasarMetrics.Meter.CreateObservableGauge(
        "quasar.consumer.lag", Observe, "{entry}", "Entries after each named consumer's first stored position.");

    public static void Track(Consumer consumer)
    {
        _ = Gauge;
        Live.TryAdd(consumer, 0);
    }

    public static void Untrack(Consumer consumer) => Live.TryRemove(consumer, out _);

    private static IEnumerable<Measurement<long>> Observe()
    {
        foreach (Consumer consumer in Live.Keys)
        {
            long lag;
            try
            {
                lag = consumer.Ledger.CountAfter(consumer.PersistedFirst);
            }
            catch (ObjectDisposedException)
            {
                continue;
            }

            yield return new Measurement<long>(lag, new KeyValuePair<string, object?>("consumer", consumer.Name), QuasarMetrics.LedgerTag(consumer.Ledger.Options.Prefix));
        }
    }
}
