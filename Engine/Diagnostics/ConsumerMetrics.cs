using System.Diagnostics.Metrics;

namespace Quasar.Diagnostics;

/// <summary>
/// The consumers' counters, <c>quasar.consumer.delivered</c> and <c>quasar.consumer.marked</c>
/// (tags <c>ledger</c> and <c>consumer</c>), on the meter a <see cref="Db"/> was given through
/// <see cref="DbOptions.MeterFactory"/>, or on the shared static <see cref="QuasarMetrics.Meter"/>.
/// Counters are thread-safe; recording costs next to nothing while no listener is enabled.
/// </summary>
internal sealed class ConsumerMetrics
{
    /// <summary>The counters on the shared static meter, for databases given no factory.</summary>
    public static readonly ConsumerMetrics Shared = new(QuasarMetrics.Meter);

    private ConsumerMetrics(Meter meter)
    {
        Delivered = meter.CreateCounter<long>("quasar.consumer.delivered", "{entry}", "Entries delivered by consumers.");
        Marked = meter.CreateCounter<long>("quasar.consumer.marked", "{mark}", "Marks applied by named consumers (a mark of an entry not delivered is not counted).");
    }

    /// <summary>Entries written to a consumer's Entries channel.</summary>
    public Counter<long> Delivered { get; }

    /// <summary>Marks a named consumer applied (held or persisted); marks of sequences it never delivered are not counted.</summary>
    public Counter<long> Marked { get; }

    /// <summary>The counters for a database: on a meter from <paramref name="factory"/> (named <see cref="QuasarMetrics.MeterName"/>), or the shared ones when null.</summary>
    public static ConsumerMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared : new ConsumerMetrics(factory.Create(new MeterOptions(QuasarMetrics.MeterName)));
}
