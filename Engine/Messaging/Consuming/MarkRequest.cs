using Microsoft.Extensions.Logging;

namespace Quasar;

/// <summary>A queued mark and how to report its outcome (a callback, a task, or nothing).</summary>
internal readonly record struct MarkRequest(ulong Sequence, bool Cumulative, Action<Exception?>? Ack, TaskCompletionSource? Completion, bool IsTimerTick = false)
{
    /// <summary>Not a mark: the held-marks timeout fired (queued so the mark loop handles it in order).</summary>
    public static MarkRequest TimerTick => new(0, false, null, null, IsTimerTick: true);

    /// <summary>Reports the outcome: null for success.</summary>
    public void Complete(Exception? error, ILogger logger) => Callbacks.Complete(Ack, Completion, error, logger, "consumer mark ack");
}
