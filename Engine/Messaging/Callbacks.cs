using Microsoft.Extensions.Logging;
using Quasar.Diagnostics;

namespace Quasar;

/// <summary>Runs user callbacks on the engine's loops: whatever they throw is caught and logged, never kills the loop.</summary>
internal static class Callbacks
{
    /// <summary>Calls <paramref name="callback"/> with <paramref name="argument"/> if it is set.</summary>
    public static void Invoke<T>(Action<T>? callback, T argument, ILogger logger, string name)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            callback(argument);
        }
#pragma warning disable CA1031 // user code may throw anything; the loop must survive it
        catch (Exception error)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(logger, name, error);
        }
    }

    /// <summary>Reports an outcome (null: success) to an ack callback and/or a task, whichever is set.</summary>
    public static void Complete(Action<Exception?>? ack, TaskCompletionSource? completion, Exception? error, ILogger logger, string name)
    {
        Invoke(ack, error, logger, name);
        if (error is null)
        {
            completion?.TrySetResult();
        }
        else
        {
            completion?.TrySetException(error);
        }
    }
}
