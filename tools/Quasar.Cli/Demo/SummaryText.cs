using System.Globalization;
using Quasar.Cli.Output;

namespace Quasar.Cli.Demo;

/// <summary>The summary as text lines, shared by the plain and the live views.</summary>
internal static class SummaryText
{
    /// <summary>The lines, the first one a heading.</summary>
    /// <param name="summary">The run's result.</param>
    /// <returns>Lines of plain text.</returns>
    public static IEnumerable<string> Lines(DemoSummary summary)
    {
        yield return $"Summary: {summary.Outcome} after {summary.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
        yield return $"  sent {Units.Count(summary.Sent)} messages ({Units.Rate(summary.SentPerSecond)}), {Units.Count(summary.Failed)} failed writes";
        if (summary.FirstWriteError is not null)
        {
            yield return $"  first write error: {summary.FirstWriteError}";
        }

        LatencySummary latency = summary.LatencyMicroseconds;
        yield return $"  end-to-end latency p50 {Units.Latency(latency.P50)}, p90 {Units.Latency(latency.P90)}, p99 {Units.Latency(latency.P99)}, "
            + $"p99.9 {Units.Latency(latency.P999)}, max {Units.Latency(latency.Max)} ({Units.Count(latency.Count)} messages)";
        foreach (ConsumerSummary consumer in summary.Consumers)
        {
            string earlier = consumer.FromEarlierRuns > 0 ? $" (+ {Units.Count(consumer.FromEarlierRuns)} from earlier runs)" : string.Empty;
            string error = consumer.Error is null ? string.Empty : $"; stopped early: {consumer.Error}";
            yield return $"  consumer {consumer.Name}: received {Units.Count(consumer.Received)} of {Units.Count(summary.Sent)}{earlier}, "
                + $"stored position {consumer.StoredPosition}, lag {Units.Count(consumer.Lag)}{error}";
        }

        StoreState ledger = summary.Ledger;
        yield return $"  ledger {DemoSettings.QueuePrefix}:l: length {Units.Count(ledger.Length)}, head {ledger.Head}, tail {ledger.Tail}, "
            + $"{ledger.SegmentFiles} segment file(s), {Units.Bytes(ledger.DiskBytes)} on disk";
        yield return summary.AllReceived
            ? "  every message received: yes"
            : summary.Outcome == DemoSummary.Interrupted
                ? "  every message received: not yet; the rest waits in the ledger and the next run's consumers receive it"
                : "  every message received: NO";
    }
}
