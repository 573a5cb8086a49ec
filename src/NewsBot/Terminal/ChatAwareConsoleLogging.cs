using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace NewsBot.Host.Cli;

/// <summary>
/// Where console log lines go. Normally to the console logger (standard error); while the interactive terminal chat
/// owns the terminal, information and debug lines are dropped and warnings and errors are printed above the prompt as
/// one short line, so nothing is written into the line being typed.
/// </summary>
internal sealed class TerminalLogRoute
{
    private ConsoleLineEditor? _editor;

    public bool ChatOwnsTerminal => Volatile.Read(ref _editor) is not null;

    /// <summary>Sends log lines above <paramref name="editor"/>'s prompt until the returned handle is disposed.</summary>
    public IDisposable Own(ConsoleLineEditor editor)
    {
        Volatile.Write(ref _editor, editor);
        return new Release(this);
    }

    /// <summary>Prints a line on standard error, above the prompt while a chat owns the terminal.</summary>
    public void WriteLine(string line)
    {
        if (Volatile.Read(ref _editor) is { } editor)
            editor.WriteAbove(line, Console.Error);
        else
            Console.Error.WriteLine(line);
    }

    /// <summary>Prints a warning or error above the prompt; false when no chat owns the terminal.</summary>
    public bool TryWrite(LogLevel level, string message, Exception? exception)
    {
        if (Volatile.Read(ref _editor) is not { } editor)
            return false;
        var line = $"{(level >= LogLevel.Error ? "error" : "warning")}: {message}";
        if (exception is not null && !message.Contains(exception.Message, StringComparison.Ordinal))
            line += $" ({exception.Message})";
        editor.WriteAbove(line, Console.Error);
        return true;
    }

    private sealed class Release(TerminalLogRoute route) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref route._editor, null);
    }
}

internal static class ChatAwareConsoleLogging
{
    /// <summary>
    /// Puts <see cref="TerminalLogRoute"/> in front of the console logger added before (e.g. by AddSimpleConsole); its
    /// options, formatter and filters stay as they are.
    /// </summary>
    public static ILoggingBuilder RouteConsoleAroundTerminalChat(this ILoggingBuilder logging)
    {
        var console = logging.Services.LastOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider))
            ?? throw new InvalidOperationException("Add the console logger before routing it around the terminal chat.");
        logging.Services.Remove(console);
        logging.Services.TryAddSingleton<TerminalLogRoute>();
        logging.Services.AddSingleton<ILoggerProvider>(sp => new Provider(
            new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>()),
            sp.GetRequiredService<TerminalLogRoute>()));
        return logging;
    }

    private sealed class Provider(ConsoleLoggerProvider console, TerminalLogRoute route) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RoutedLogger(console.CreateLogger(categoryName), route);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => console.SetScopeProvider(scopeProvider);

        public void Dispose() => console.Dispose();
    }

    private sealed class RoutedLogger(ILogger console, TerminalLogRoute route) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => console.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) =>
            route.ChatOwnsTerminal ? logLevel is >= LogLevel.Warning and < LogLevel.None : console.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (route.ChatOwnsTerminal)
            {
                if (logLevel < LogLevel.Warning || route.TryWrite(logLevel, formatter(state, exception), exception))
                    return;
            }

            console.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
