using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Chat;

/// <summary>Runs the registered chat front ends for the lifetime of the host.</summary>
public sealed partial class ChatFrontEndService(IEnumerable<IChatFrontEnd> frontEnds, ILogger<ChatFrontEndService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(frontEnds.Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(IChatFrontEnd frontEnd, CancellationToken stoppingToken)
    {
        try
        {
            await frontEnd.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // One front end failing must not take the host (or the other front ends) down with it.
            LogCrashed(ex, frontEnd.Name);
            return;
        }

        if (!stoppingToken.IsCancellationRequested)
            LogStopped(frontEnd.Name);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {FrontEnd} front end crashed")]
    private partial void LogCrashed(Exception exception, string frontEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {FrontEnd} front end has stopped; NewsBot keeps running without it")]
    private partial void LogStopped(string frontEnd);
}
