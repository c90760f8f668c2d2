namespace Quasar.Tests.Support;

/// <summary>
/// An ack that blocks the loop running it until <see cref="Release"/> (or dispose), so a test can
/// hold a producer's loop still and fill its queue. The block is itself bounded, so a test that
/// forgets to release cannot hang the run.
/// </summary>
public sealed class LoopBlocker : IDisposable
{
    private readonly ManualResetEventSlim gate = new(false);
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoopBlocker()
    {
        Ack = _ =>
        {
            entered.TrySetResult();
            gate.Wait(TimeSpan.FromSeconds(30));
        };
    }

    /// <summary>The blocking ack.</summary>
    public Action<Exception?> Ack { get; }

    /// <summary>Completes once the loop is inside the ack (bounded).</summary>
    public Task Entered => entered.Task.Within();

    public void Release() => gate.Set();

    public void Dispose() => gate.Set(); // the ack may still be leaving Wait: the event is left to the GC
}
