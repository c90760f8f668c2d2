namespace Quasar;

/// <summary>
/// The longest wait the engine's loops can arm. Timer, PeriodicTimer, Task.Delay and CancelAfter
/// refuse anything longer, so an option beyond it would pass the constructor and then fail inside a
/// loop the first time it waits; options are checked against it at the call instead.
/// </summary>
internal static class TimerLimit
{
    /// <summary>0xFFFFFFFE milliseconds, about 49.7 days.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Throws when <paramref name="value"/> is longer than <see cref="Max"/>.</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="option">The option's name, for the message.</param>
    /// <param name="parameterName">The name of the options parameter.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is longer than <see cref="Max"/>.</exception>
    public static void ThrowIfBeyond(TimeSpan value, string option, string parameterName)
    {
        if (value > Max)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{option} must be at most {Max} (the longest wait a .NET timer supports).");
        }
    }
}
