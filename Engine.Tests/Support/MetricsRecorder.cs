using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Quasar.Diagnostics;

namespace Quasar.Tests.Support;

/// <summary>
/// Listens to the <c>Quasar</c> meter and keeps every measurement. The meter is process-wide and
/// tests run in parallel: filter by the <c>ledger</c> tag of a prefix only this test uses.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<Measurement> measurements = new();

    public MetricsRecorder()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == QuasarMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> tagged <c>ledger=<paramref name="ledger"/></c>.</summary>
    public double[] Of(string instrument, string ledger) =>
        [.. measurements.Where(m => m.Instrument == instrument && m.Ledger == ledger).Select(m => m.Value)];

    /// <summary>Every measurement of <paramref name="instrument"/>, whatever its tags.</summary>
    public double[] Of(string instrument) => [.. measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

    public double Sum(string instrument, string ledger) => Of(instrument, ledger).Sum();

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? ledger = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "ledger")
            {
                ledger = tag.Value as string;
            }
        }

        measurements.Enqueue(new Measurement(instrument.Name, value, ledger));
    }

    private readonly record struct Measurement(string Instrument, double Value, string? Ledger);
}
