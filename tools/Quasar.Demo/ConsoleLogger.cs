using Microsoft.Extensions.Logging;

namespace Quasar.Demo;

/// <summary>A minimal ILogger that prints the engine's messages, so the demo needs no logging package.</summary>
internal sealed class ConsoleLogger(LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.WriteLine($"  [engine {logLevel}] {formatter(state, exception)}");
        }
    }
}
