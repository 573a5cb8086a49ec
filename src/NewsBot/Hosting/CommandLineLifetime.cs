using Microsoft.Extensions.Hosting;

namespace NewsBot.Host.Hosting;

/// <summary>
/// The host's lifetime in place of ConsoleLifetime, which cancels every SIGINT and SIGTERM it receives and so swallows
/// a second one while a stop drains. The command line handles the signals instead (see <c>CommandLine.Guard</c>): the
/// first stops the host gracefully through the token it runs on, and a second one, left to the default action, ends
/// the process at once (exit 130 or 143).
/// </summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
