using NewsBot.Retrieval;

namespace NewsBot.Ingestion;

/// <summary>
/// Where the index persists between runs, so a restart serves questions without re-embedding, and
/// several processes can serve one index. Every change publishes a new, complete index version: a
/// reader sees the previous version or the new one, never a half-written one.
/// </summary>
/// <remarks>
/// Failures to reach the store surface as <see cref="IndexStoreUnavailableException"/>, whose message is
/// safe to show (it never holds a password).
/// </remarks>
public interface IIndexStore
{
    /// <summary>The current version, read as one consistent snapshot.</summary>
    Task<StoredIndex> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies a change set and makes the result current at once; returns the new version.</summary>
    Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>The version that <see cref="LoadAsync"/> would load now (0 for an empty store); cheap.</summary>
    Task<long> CurrentVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the store's single ingest lock, so only one process ingests at a time. Without
    /// <paramref name="wait"/> it returns null at once when another holder has it. The lock is released
    /// on dispose, and by the store itself when its holder dies.
    /// </summary>
    Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when another process may have published a version, or after <paramref name="timeout"/> at
    /// the latest; callers compare <see cref="CurrentVersionAsync"/> afterwards.
    /// </summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <param name="EmbeddingModelId">The model the stored vectors came from, or null for an empty store.</param>
/// <param name="Version">The published version these sources belong to; 0 for an empty store.</param>
public sealed record StoredIndex(string? EmbeddingModelId, int Dimensions, IReadOnlyList<IndexedArticle> Sources, long Version = 0);

/// <param name="Upserts">Sources added or changed, replacing any stored rows of the same id.</param>
/// <param name="Removals">Ids of sources to delete.</param>
/// <param name="ReplaceAll">Drop everything stored first (the embedding model changed).</param>
public sealed record IndexChangeSet(
    string EmbeddingModelId,
    int Dimensions,
    IReadOnlyList<IndexedArticle> Upserts,
    IReadOnlyList<string> Removals,
    bool ReplaceAll);

/// <summary>The index store cannot be reached or refused the login; the message names the setting to check.</summary>
/// <param name="IsConfigurationError">The settings are wrong (password, database name), as opposed to an outage.</param>
public sealed class IndexStoreUnavailableException(string message, bool isConfigurationError, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool IsConfigurationError { get; } = isConfigurationError;
}
