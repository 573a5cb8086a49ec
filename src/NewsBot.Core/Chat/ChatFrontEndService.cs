using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Chat;

/// <summary>
/// Runs the registered chat front ends for the lifetime of the host. A front end that the platform refuses (a rejected
/// token) stops the whole host, so that the process exits non-zero and a supervisor notices, instead of idling with
/// nothing to serve; a front end that crashes is logged and the others keep running.
/// </summary>
public sealed partial class ChatFrontEndService(
    IEnumerable<IChatFrontEnd> frontEnds, IHostApplicationLifetime lifetime, ILogger<ChatFrontEndService> logger) : BackgroundService
{
    private FrontEndRefusedException? _refusal;

    /// <summary>Why a front end stopped the host, if one did.</summary>
    public FrontEndRefusedException? Refusal => Volatile.Read(ref _refusal);

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
        catch (FrontEndRefusedException ex)
        {
            if (Interlocked.CompareExchange(ref _refusal, ex, null) is null)
            {
                LogRefused(frontEnd.Name, ex.Message);
                lifetime.StopApplication();
            }

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

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {FrontEnd} front end stopped and NewsBot with it: {Reason}")]
    private partial void LogRefused(string frontEnd, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {FrontEnd} front end crashed")]
    private partial void LogCrashed(Exception exception, string frontEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {FrontEnd} front end has stopped; NewsBot keeps running without it")]
    private partial void LogStopped(string frontEnd);
}
