namespace Quasar.Bench.Macro;

/// <summary>
/// Ours / peer of the medians of a workload's headline metric, both measured in the same start
/// mode (warm or cold) of one runner invocation. Above 1 is better for rates; for a metric where
/// lower is better (W4's milliseconds) below 1 is better, and <see cref="Advantage"/> turns it round.
/// </summary>
public sealed record Ratio(string Workload, string Peer, string Start, string Metric, double Value)
{
    /// <summary>How many times better ours is: <see cref="Value"/>, or its inverse where lower is better.</summary>
    public double Advantage => Report.Headline(Workload).HigherIsBetter ? Value : 1 / Value;
}
