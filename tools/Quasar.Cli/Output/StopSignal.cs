using System.Runtime.InteropServices;

namespace Quasar.Cli.Output;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancelled <see cref="Token"/>, so a command
/// can stop cleanly (flush, persist, close, report) instead of being killed. A second signal while
/// the first is being handled is left to the runtime's default, which ends the process: the way
/// out of a stop that hangs.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource requested = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;

    /// <summary>Registers the handlers; they stay until <see cref="Dispose"/>.</summary>
    public StopSignal()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => requested.Token;

    /// <summary>Whether a signal asked to stop.</summary>
    public bool IsRequested => requested.IsCancellationRequested;

    /// <summary>Removes the handlers: later signals get the runtime's default again.</summary>
    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        requested.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (requested.IsCancellationRequested)
        {
            return; // second signal: let the default handling end the process
        }

        context.Cancel = true;
        requested.Cancel();
    }
}
