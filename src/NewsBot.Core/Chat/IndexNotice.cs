using System.Globalization;
using NewsBot.Ingestion;

namespace NewsBot.Chat;

/// <summary>
/// Why the indexed articles may be out of date, in one line fit for a chat channel: shown with the list of sources, so
/// that someone who misses a new article learns why without reading the logs. The store's own message stays in the logs
/// and on <c>/healthz</c>: it can name hosts and ports, which a channel's members need not see.
/// </summary>
public static class IndexNotice
{
    /// <summary>The notice for <paramref name="freshness"/>; null when nothing keeps the index current.</summary>
    public static string? Describe(IndexFreshness freshness)
    {
        if (freshness.Problems is not [var first, ..])
            return null;
        var served = freshness.LoadedAt is { } loaded
            ? $"answers come from the articles loaded {Utc(loaded)}"
            : "no articles are loaded yet";
        return $"This list may be out of date: {What(first.Kind)} (since {Utc(first.Since)}); {served}.";
    }

    private static string What(IndexProblemKind kind) => kind switch
    {
        IndexProblemKind.Unreachable => "the index store cannot be reached",
        IndexProblemKind.Failing => "the index store is failing",
        IndexProblemKind.Damaged => "the index store is damaged and waits for the ingesting process to repair it",
        IndexProblemKind.Repairing => "the index is being rebuilt",
        IndexProblemKind.IngestFailed => "the last reload of the sources failed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
