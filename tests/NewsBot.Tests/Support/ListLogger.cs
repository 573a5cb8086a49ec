using Microsoft.Extensions.Logging;

namespace NewsBot.Tests.Support;

/// <summary>Collects "Level: message" lines, so a test can count what a component logged.</summary>
public sealed class ListLogger<T>(List<string> lines) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
            lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
