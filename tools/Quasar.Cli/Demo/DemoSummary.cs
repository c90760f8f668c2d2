namespace Quasar.Cli.Demo;

/// <summary>The result of a demo run: what <c>--json</c> prints, and what the other views print as text.</summary>
/// <param name="Settings">What the run was asked to do.</param>
/// <param name="Outcome">"completed" (every message of a --messages run received), "time limit", or "interrupted".</param>
/// <param name="Seconds">How long the load ran.</param>
/// <param name="Sent">Messages written this run.</param>
/// <param name="Failed">Writes that failed.</param>
/// <param name="SentPerSecond">Average write rate.</param>
/// <param name="FirstWriteError">The first failed write's error, if any.</param>
/// <param name="AllReceived">Whether every consumer received every message this run wrote.</param>
/// <param name="LatencyMicroseconds">End-to-end latency of this run's messages.</param>
/// <param name="Ledger">The ledger and its files at the end.</param>
/// <param name="Consumers">Each consumer at the end.</param>
internal sealed record DemoSummary(
    DemoSettings Settings,
    string Outcome,
    double Seconds,
    long Sent,
    long Failed,
    double SentPerSecond,
    string? FirstWriteError,
    bool AllReceived,
    LatencySummary LatencyMicroseconds,
    StoreState Ledger,
    IReadOnlyList<ConsumerSummary> Consumers)
{
    /// <summary>The outcome of a --messages run whose every message reached every consumer.</summary>
    public const string Completed = "completed";

    /// <summary>The outcome of a run that ended at --seconds.</summary>
    public const string TimeLimit = "time limit";

    /// <summary>The outcome of a run stopped by Ctrl+C or SIGTERM.</summary>
    public const string Interrupted = "interrupted";
}
