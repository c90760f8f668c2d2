using Microsoft.Extensions.Time.Testing;

namespace Quasar.Tests.Support;

/// <summary>Drives a <see cref="FakeTimeProvider"/> given to a Db as its <see cref="DbOptions.TimeProvider"/>.</summary>
public static class FakeClock
{
    /// <summary>A fake clock starting at a fixed, whole-second instant (so sequences built from it are predictable).</summary>
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="step"/> until <paramref name="condition"/>
    /// holds, letting the engine's loops run in between. Stepping again and again rather than once
    /// means a timer armed just after a step is still reached; the steps are the only way time
    /// passes for the engine, so nothing here depends on how fast the machine is.
    /// </summary>
    public static async Task AdvanceUntil(this FakeTimeProvider clock, TimeSpan step, Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(Bounded.Limit);
        while (!condition())
        {
            clock.Advance(step);
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out advancing the fake clock until " + what);
            }
        }
    }
}
