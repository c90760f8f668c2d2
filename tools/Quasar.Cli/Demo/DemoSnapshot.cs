namespace Quasar.Cli.Demo;

/// <summary>What the demo shows once a second: rates over the last second, run totals, latency and the store's state.</summary>
/// <param name="Elapsed">Time since the load started.</param>
/// <param name="Phase">"running", "draining" (load stopped, consumers catching up) or "stopping".</param>
/// <param name="Sent">Messages written this run.</param>
/// <param name="SentPerSecond">Messages written in the last interval, per second.</param>
/// <param name="Received">Messages of this run received, summed over consumers.</param>
/// <param name="ReceivedPerSecond">Messages received in the last interval, per second, summed over consumers.</param>
/// <param name="Failed">Writes that failed.</param>
/// <param name="Interval">Latency of the messages received in the last interval.</param>
/// <param name="Run">Latency of every message of this run received so far.</param>
/// <param name="Store">The ledger and the files.</param>
/// <param name="Consumers">Each consumer's progress.</param>
/// <param name="SentHistory">Sent per second, one value per interval, oldest first.</param>
/// <param name="ReceivedHistory">Received per second, one value per interval, oldest first.</param>
internal sealed record DemoSnapshot(
    TimeSpan Elapsed,
    string Phase,
    long Sent,
    double SentPerSecond,
    long Received,
    double ReceivedPerSecond,
    long Failed,
    LatencySummary Interval,
    LatencySummary Run,
    StoreState Store,
    IReadOnlyList<ConsumerState> Consumers,
    IReadOnlyList<double> SentHistory,
    IReadOnlyList<double> ReceivedHistory);
