namespace Quasar.Tests.Support;

/// <summary>
/// Bounded waits: every await in a test that could hang goes through these, so that a hang fails
/// the test (TimeoutException or an assertion) instead of stalling the run. None of them asserts
/// how long anything took.
/// </summary>
public static class Bounded
{
    /// <summary>The longest a single bounded wait may take.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static Task Within(this Task task) => task.WaitAsync(Limit);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Limit);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Limit);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Limit);

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> if it does not within <see cref="Limit"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(Limit);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting until " + what);
            }
        }
    }
}
