using Microsoft.Extensions.Logging;

namespace Quasar.CrashWriter;

/// <summary>
/// The queue mode's database logger: turns the engine's debug events for a segment roll and a
/// cleaning pass into the markers <see cref="CrashProtocol.RollMarker"/> and
/// <see cref="CrashProtocol.CleanMarker"/> on stdout, so the test can tell how often the work it
/// kills rolls and cleans. Everything else is dropped; errors the engine logs reach the test
/// through the callbacks' stderr lines instead.
/// </summary>
internal sealed class PhaseMarkers(Stream stdout) : ILogger
{
    // The event ids of Engine/Diagnostics/Log.cs: SegmentRolled and CleanerDeleted.
    private const int SegmentRolled = 14;
    private const int CleanerDeleted = 40;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string? marker = eventId.Id switch
        {
            SegmentRolled => CrashProtocol.RollMarker,
            CleanerDeleted => CrashProtocol.CleanMarker,
            _ => null,
        };
        if (marker is not null)
        {
            CrashProtocol.Emit(stdout, marker);
        }
    }
}
