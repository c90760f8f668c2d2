using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Quasar.Diagnostics;

namespace Quasar;

/// <summary>
/// The <c>quasar.consumer.lag</c> gauge: for each live named consumer, its <see cref="Consumer.Lag"/>
/// (tags <c>consumer</c> and <c>ledger</c>). One definition of lag: a dashboard reading the gauge
/// and a health check reading <see cref="Consumer.Lag"/> see the same number, counted from
/// <see cref="Consumer.Position"/> (marks applied, held ones included), not from what the table
/// last persisted, which trails it by up to <see cref="ConsumerOptions.Skip"/> marks.
/// </summary>
internal static class ConsumerLag
{
    private static readonly ConcurrentDictionary<Consumer, byte> Live = new();

    private static readonly ObservableGauge<long> Gauge = QuasarMetrics.Meter.CreateObservableGauge(
        "quasar.consumer.lag", Observe, "{entry}", "Entries above each named consumer's position: delivered but unmarked, and not yet delivered.");

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
                lag = consumer.Lag;
            }
            catch (ObjectDisposedException)
            {
                continue;
            }

            yield return new Measurement<long>(lag, new KeyValuePair<string, object?>("consumer", consumer.Name), QuasarMetrics.LedgerTag(consumer.Ledger.Options.Prefix));
        }
    }
}
