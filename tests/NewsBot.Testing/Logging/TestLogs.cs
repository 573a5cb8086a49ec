using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NewsBot.Testing.Logging;

public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>Captures every log line so tests can check what was (and was not) logged.</summary>
public sealed class TestLogs : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>Every line with its whole exception, so a secret in an exception's text or stack is caught too.</summary>
    public string All => string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public bool Contains(string text) => Entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public void Dispose()
    {
    }

    private sealed class Logger(TestLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception));
    }
}
