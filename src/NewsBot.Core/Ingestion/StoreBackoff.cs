namespace NewsBot.Ingestion;

/// <summary>Waits between attempts to reach an unreachable index store: 1 s, 2 s, 4 s … up to <c>Storage:ReconnectDelayMaxSeconds</c>.</summary>
internal static class StoreBackoff
{
    public static TimeSpan Delay(int failures, StorageOptions options) =>
        TimeSpan.FromSeconds(Math.Min(options.ReconnectDelayMaxSeconds, Math.Pow(2, Math.Min(failures - 1, 16))));
}
