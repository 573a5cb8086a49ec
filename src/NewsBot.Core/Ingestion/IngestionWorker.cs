using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Ingestion;

/// <summary>
/// The hosted ingestion worker: serves the stored index at once, then brings it in line with the
/// seeds folder in the background. Later reloads come through <see cref="ReloadCoordinator"/>.
/// </summary>
public sealed partial class IngestionWorker(Ingestor ingestor, ReloadCoordinator reloads, ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ingestor.LoadStoredAsync(stoppingToken);
            var report = await reloads.RequestAsync(stoppingToken);
            foreach (var problem in report.Problems)
                LogProblem(logger, problem.Path, problem.Reason);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source not loaded: {Path}: {Reason}")]
    private static partial void LogProblem(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingestion failed; the previous index is still served: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
