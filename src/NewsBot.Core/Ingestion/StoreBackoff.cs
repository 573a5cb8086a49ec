using NewsBot.Resilience;

namespace NewsBot.Ingestion;

/// <summary>Waits between attempts to reach an unreachable index store: 1 s, 2 s, 4 s … up to <c>Storage:ReconnectDelayMaxSeconds</c>.</summary>
internal static class StoreBackoff
{
    public static TimeSpan Delay(int failures, StorageOptions options) =>
        new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.ReconnectDelayMaxSeconds)).Delay(failures);
}
