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
}
