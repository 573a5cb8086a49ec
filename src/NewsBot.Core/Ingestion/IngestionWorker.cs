using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Ingestion;

/// <summary>
/// The hosted ingestion worker: serves the stored index at once, then brings it in line with the
/// seeds folder in the background (a follower, <c>Ingestion:Enabled</c> = false, only serves). Later
/// reloads come through <see cref="ReloadCoordinator"/>; indexes other processes publish arrive through
/// <see cref="IndexFollower"/>. While the store is unreachable it retries with backoff.
/// </summary>
public sealed partial class IngestionWorker(
    Ingestor ingestor,
    ReloadCoordinator reloads,
    IndexHealth health,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var failures = 0; !stoppingToken.IsCancellationRequested;)
        {
            try
            {
                await ingestor.LoadStoredAsync(stoppingToken);
                var report = await reloads.RequestAsync(stoppingToken);
                foreach (var problem in report.Problems)
                    LogProblem(logger, problem.Path, problem.Reason);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (IndexStoreUnavailableException e) when (!e.IsConfigurationError)
            {
                failures++;
                health.StoreFailed(e);
                var delay = StoreBackoff.Delay(failures, storage.Value);
                LogStoreUnavailable(logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception e) when (e is IndexRefreshException or IOException or UnauthorizedAccessException or InvalidOperationException or IndexStoreUnavailableException)
            {
                LogFailed(logger, e.Message);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source not loaded: {Path}: {Reason}")]
    private static partial void LogProblem(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingestion failed; the previous index is still served: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion waits for the index store: {Reason}; retrying in {DelaySeconds} s")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason, double delaySeconds);
}
