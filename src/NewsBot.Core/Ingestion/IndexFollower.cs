using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Retrieval;
using NewsBot.Telemetry;

namespace NewsBot.Ingestion;

/// <summary>
/// Keeps a running process on the index other processes publish: wakes on the store's change
/// notification or every <c>Storage:CheckIntervalSeconds</c>, and loads a new version whole before
/// serving it. While the store is down it keeps answering from the index in memory, logs the outage
/// once, retries with backoff and catches up when the store is back.
/// </summary>
public sealed partial class IndexFollower(
    Ingestor ingestor,
    IIndexStore store,
    CurrentIndex current,
    IndexHealth health,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<IndexFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var interval = TimeSpan.FromSeconds(settings.CheckIntervalSeconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (failures == 0)
                    await store.WaitForChangeAsync(interval, stoppingToken);
                var report = await ingestor.RefreshAsync(stoppingToken);
                if (failures > 0)
                {
                    LogReconnected(logger, current.Version);
                    NewsBotTelemetry.StoreReconnects.Add(1);
                    failures = 0;
                }

                if (report.Changed)
                    LogFollowed(logger, report.Version, report.Added, report.Updated, report.Removed, report.Sentences);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IndexStoreUnavailableException or System.Data.Common.DbException or IOException or InvalidDataException or InvalidOperationException)
            {
                // Whatever the store did, the index in memory is whole: keep serving it and try again later.
                failures++;
                health.StoreFailed(e);
                if (failures == 1 && e is IndexStoreDamagedException)
                    LogDamaged(logger, e.Message);
                else if (failures == 1)
                    LogLost(logger, e.Message, current.Version);
                await Task.Delay(StoreBackoff.Delay(failures, settings), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Now serving index version {Version} published by another process: {Added} added, {Updated} updated, {Removed} removed; {Sentences} sentences")]
    private static partial void LogFollowed(ILogger logger, long version, int added, int updated, int removed, int sentences);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index store unreachable ({Reason}); still answering from index version {Version} in memory, reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string reason, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason} Nothing is served until then; checking again with backoff")]
    private static partial void LogDamaged(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index store reachable again; serving index version {Version}")]
    private static partial void LogReconnected(ILogger logger, long version);
}
