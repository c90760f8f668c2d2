using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Quasar.Tests.Support;

/// <summary>
/// An <see cref="IMeterFactory"/> that keeps the meters it creates and records every long
/// measurement of them: only this factory's meters, so tests running in parallel (all on meters
/// named Quasar) do not see each other's.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> meters = [];
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> measurements = new();
    private readonly MeterListener listener = new();

    public TestMeterFactory()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
    }

    /// <summary>The names of the meters created so far.</summary>
    public string[] MeterNames => [.. meters.Select(m => m.Name)];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        meters.Add(meter);
        return meter;
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements tagged with the consumer <paramref name="consumer"/>.</summary>
    public long Sum(string instrument, string consumer) =>
        measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue("consumer", out object? c) && (string?)c == consumer).Sum(m => m.Value);

    /// <summary>The tags of every measurement of <paramref name="instrument"/>.</summary>
    public Dictionary<string, object?>[] TagsOf(string instrument) => [.. measurements.Where(m => m.Instrument == instrument).Select(m => m.Tags)];

    public void Dispose()
    {
        listener.Dispose();
        foreach (Meter meter in meters)
        {
            meter.Dispose();
        }
    }
}
