using System.Diagnostics;
using HdrHistogram;

namespace Quasar.Cli.Demo;

/// <summary>
/// Turns the counters of the load generator and the consumers into a <see cref="DemoSnapshot"/>
/// once per interval. Only the reporting loop calls <see cref="Sample"/>: it owns the previous
/// counts, the histograms and the history.
/// </summary>
internal sealed class DemoMonitor
{
    /// <summary>Seconds of throughput history kept for the chart.</summary>
    public const int HistoryLength = 120;

    private readonly LoadGenerator load;
    private readonly IReadOnlyList<TimedConsumer> consumers;
    private readonly StoreProbe probe;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly LongHistogram run = TimedConsumer.NewHistogram();
    private readonly LongHistogram interval = TimedConsumer.NewHistogram();
    private readonly long[] lastReceived;
    private readonly Queue<double> sentHistory = new();
    private readonly Queue<double> receivedHistory = new();
    private long lastSent;
    private long lastSample;

    /// <summary>Starts the clock: <see cref="DemoSnapshot.Elapsed"/> counts from here.</summary>
    /// <param name="load">The producers' counters.</param>
    /// <param name="consumers">The consumers' counters and latencies.</param>
    /// <param name="probe">The store's state.</param>
    public DemoMonitor(LoadGenerator load, IReadOnlyList<TimedConsumer> consumers, StoreProbe probe)
    {
        this.load = load;
        this.consumers = consumers;
        this.probe = probe;
        lastReceived = new long[consumers.Count];
        lastSample = started;
    }

    /// <summary>Time since the monitor started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    /// <summary>Latency of every message of this run received up to the last sample.</summary>
    public LatencySummary RunLatency => LatencySummary.Of(run);

    /// <summary>Samples every counter; rates are over the time since the previous sample.</summary>
    /// <param name="phase">What the run is doing, shown with the numbers.</param>
    /// <returns>The snapshot.</returns>
    public DemoSnapshot Sample(string phase)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Math.Max(Stopwatch.GetElapsedTime(lastSample, now).TotalSeconds, 1e-3);
        lastSample = now;

        long sent = load.Written;
        double sentRate = (sent - lastSent) / seconds;
        lastSent = sent;

        interval.Reset();
        var states = new ConsumerState[consumers.Count];
        long received = 0;
        double receivedRate = 0;
        for (int i = 0; i < consumers.Count; i++)
        {
            TimedConsumer consumer = consumers[i];
            consumer.DrainLatencies(interval);
            long count = consumer.Received;
            double rate = (count - lastReceived[i]) / seconds;
            lastReceived[i] = count;
            received += count;
            receivedRate += rate;
            ulong position = probe.StoredPosition(consumer.Name);
            states[i] = new ConsumerState(consumer.Name, count, rate, consumer.FromEarlierRuns, position, probe.EntriesAfter(position));
        }

        run.Add(interval);
        Remember(sentHistory, sentRate);
        Remember(receivedHistory, receivedRate);
        return new DemoSnapshot(
            Stopwatch.GetElapsedTime(started, now), phase, sent, sentRate, received, receivedRate, load.Failed,
            LatencySummary.Of(interval), LatencySummary.Of(run), probe.Read(), states, [.. sentHistory], [.. receivedHistory]);
    }

    private static void Remember(Queue<double> history, double value)
    {
        history.Enqueue(value);
        if (history.Count > HistoryLength)
        {
            history.Dequeue();
        }
    }
}
