namespace NewsBot.Host.Cli;

/// <summary>Reads standard input so that Ctrl-C ends the wait.</summary>
internal static class ConsoleInput
{
    /// <summary>
    /// The next line, or null at the end of input. Console.In blocks its thread and ignores the token, so the
    /// read runs on a pool thread and only the wait is cancelled; the process is stopping by then.
    /// </summary>
    public static Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
}
