namespace Quasar.PropertyTests.Models;

/// <summary>
/// A call the power loss cut short, and so may or may not have happened: what the files may hold
/// beyond the model's state when the queue opens again.
/// </summary>
internal abstract record QueueInFlight
{
    /// <summary>Nothing was in flight: the files hold exactly what the model says.</summary>
    public static QueueInFlight None { get; } = new Nothing();

    /// <summary>Any prefix of <paramref name="Unacknowledged"/> may have been written (the first unacknowledged batch, whole or not at all).</summary>
    public sealed record Produce(IReadOnlyList<ulong> Unacknowledged) : QueueInFlight;

    /// <summary>The consumer's positions are the new ones (in the model) or still <paramref name="Before"/>.</summary>
    public sealed record Mark(string Name, ulong[] Before) : QueueInFlight;

    /// <summary>The tail moved anywhere from the model's up to <paramref name="Target"/> (the model kept its tail).</summary>
    public sealed record Clean(ulong Target) : QueueInFlight;

    private sealed record Nothing : QueueInFlight;
}
