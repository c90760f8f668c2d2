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

    /// <summary>
    /// For a producer with Batch 1: entry 1's ack holds the loop here and entry 2 fills the
    /// queue, so the next write finds no room until <see cref="Release"/>.
    /// </summary>
    public async Task HoldWithFullQueue(Producer producer)
    {
        Assert.True(producer.TryWrite(TestEntries.Make(1), Ack));
        await Entered;
        Assert.True(producer.TryWrite(TestEntries.Make(2)));
    }

    public void Dispose() => gate.Set(); // the ack may still be leaving Wait: the event is left to the GC
}
