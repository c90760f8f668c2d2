namespace Quasar.Tests.Support;

/// <summary>An ack callback whose outcome can be awaited (null: success).</summary>
public sealed class AckProbe
{
    private readonly TaskCompletionSource<Exception?> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int calls;

    public AckProbe()
    {
        Ack = error =>
        {
            Interlocked.Increment(ref calls);
            outcome.TrySetResult(error);
        };
    }

    public Action<Exception?> Ack { get; }

    /// <summary>How many times the ack was called.</summary>
    public int Calls => Volatile.Read(ref calls);

    public bool IsCalled => outcome.Task.IsCompleted;

    /// <summary>The outcome, waited for with a bound.</summary>
    public Task<Exception?> Outcome => outcome.Task.Within();

    public static AckProbe[] Many(int count) => Enumerable.Range(0, count).Select(_ => new AckProbe()).ToArray();
}
