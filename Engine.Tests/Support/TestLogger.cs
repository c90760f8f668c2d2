using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Quasar.Tests.Support;

/// <summary>One message a <see cref="TestLogger"/> received, with the structured values it carried.</summary>
public sealed record LoggedMessage(LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Values)
{
    /// <summary>The structured value named <paramref name="name"/> (null when absent).</summary>
    public object? Value(string name) => Values.FirstOrDefault(v => v.Key == name).Value;
}

/// <summary>An <see cref="ILogger"/> that keeps every message (all levels enabled), for <see cref="DbOptions.Logger"/>.</summary>
public sealed class TestLogger : ILogger
{
    private readonly ConcurrentQueue<LoggedMessage> messages = new();

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<LoggedMessage> Messages => [.. messages];

    /// <summary>The messages logged at <paramref name="level"/>.</summary>
    public IReadOnlyList<LoggedMessage> At(LogLevel level) => [.. messages.Where(m => m.Level == level)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];
        messages.Enqueue(new LoggedMessage(logLevel, eventId, formatter(state, exception), exception, values));
    }
}
