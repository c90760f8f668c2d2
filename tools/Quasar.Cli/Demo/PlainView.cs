using System.Globalization;
using System.Text;
using Quasar.Cli.Output;

namespace Quasar.Cli.Demo;

/// <summary>Plain lines, one per second, for logs and pipes: <c>--no-live</c> and redirected output.</summary>
/// <param name="writer">Where the lines go (stdout; stderr under <c>--json</c>).</param>
internal sealed class PlainView(TextWriter writer) : IDemoView
{
    /// <inheritdoc/>
    public void Announce(string line) => writer.WriteLine(line);

    /// <inheritdoc/>
    public Task ShowAsync(Func<Action<DemoSnapshot>, Task> body) => body(snapshot => writer.WriteLine(Line(snapshot)));

    /// <inheritdoc/>
    public void Finish(DemoSummary summary)
    {
        foreach (string line in SummaryText.Lines(summary))
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>One snapshot as one line: rates, the last second's latency, the ledger and each consumer's lag.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The line.</returns>
    public static string Line(DemoSnapshot snapshot)
    {
        LatencySummary latency = snapshot.Interval;
        var line = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"[{Math.Floor(snapshot.Elapsed.TotalSeconds),4:0} s] {snapshot.Phase,-8} ")
            .Append(CultureInfo.InvariantCulture, $"sent {Units.Rate(snapshot.SentPerSecond)}  received {Units.Rate(snapshot.ReceivedPerSecond)}  ")
            .Append(CultureInfo.InvariantCulture, $"p50 {Units.Latency(latency.P50)}  p99 {Units.Latency(latency.P99)}  p99.9 {Units.Latency(latency.P999)}  max {Units.Latency(latency.Max)}  ")
            .Append(CultureInfo.InvariantCulture, $"length {Units.Count(snapshot.Store.Length)}  disk {Units.Bytes(snapshot.Store.DiskBytes)}  lag");
        foreach (ConsumerState consumer in snapshot.Consumers)
        {
            line.Append(CultureInfo.InvariantCulture, $" {consumer.Name}={Units.Count(consumer.Lag)}");
        }

        return line.ToString();
    }
}
