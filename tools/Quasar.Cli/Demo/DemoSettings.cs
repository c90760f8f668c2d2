using Quasar.Cli.Output;

namespace Quasar.Cli.Demo;

/// <summary>What <c>quasar demo</c> was asked to do, after parsing and defaults.</summary>
/// <param name="Directory">The database directory.</param>
/// <param name="Seconds">Run length; null when the run ends by <paramref name="Messages"/> alone.</param>
/// <param name="Messages">Messages to send; null for as many as fit in <paramref name="Seconds"/>.</param>
/// <param name="Producers">Producer threads.</param>
/// <param name="Consumers">Named consumers, each receiving every message.</param>
/// <param name="Payload">Payload bytes per message.</param>
/// <param name="Rate">Offered load over all producers in messages per second; null for saturation.</param>
/// <param name="Sync">Durable writes (<see cref="DbOptions.SyncWrites"/>).</param>
/// <param name="Batch">Producer and consumer batch size.</param>
/// <param name="Mode">How progress and the summary are shown.</param>
internal sealed record DemoSettings(
    string Directory,
    int? Seconds,
    int? Messages,
    int Producers,
    int Consumers,
    int Payload,
    int? Rate,
    bool Sync,
    int Batch,
    OutputMode Mode)
{
    /// <summary>The queue's prefix: its ledger is <c>demo:l</c>, its table <c>demo:t</c>.</summary>
    public const string QueuePrefix = "demo";

    /// <summary>The name of consumer <paramref name="index"/> (0-based): c1, c2, ...</summary>
    /// <param name="index">The consumer's index.</param>
    /// <returns>Its name, stable across runs so a rerun resumes it.</returns>
    public static string ConsumerName(int index) => "c" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One line describing the load, for the dashboard's title and the plain header.</summary>
    public string Describe() =>
        $"{Producers} producer(s) -> {Consumers} consumer(s), {Payload} B payloads, "
        + (Rate is int rate ? $"offered {Units.Rate(rate)}" : "saturation")
        + (Sync ? ", durable writes" : ", buffered writes")
        + $", batch {Batch}"
        + (Messages is int messages ? $", {Units.Count(messages)} messages" : string.Empty)
        + (Seconds is int seconds ? $", {seconds} s" : string.Empty);
}
