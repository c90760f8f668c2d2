namespace Quasar.Hosting;

/// <summary>How a hosted consumer retries an entry whose handler throws.</summary>
public sealed class QuasarConsumerOptions
{
    /// <summary>Attempts at one entry before it goes to the dead-letter ledger (at least 1).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed attempt; each later wait doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan BackoffAfter(int attempt)
    {
        double ticks = InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff, nameof(MaxBackoff));
    }
}
