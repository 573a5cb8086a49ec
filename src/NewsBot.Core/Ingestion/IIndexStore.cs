using NewsBot.Retrieval;

namespace NewsBot.Ingestion;

/// <summary>
/// Where the index persists between runs, so a restart serves questions without re-embedding.
/// Implementations apply a change set atomically: after a failure the previous index is intact.
/// </summary>
public interface IIndexStore
{
    Task<StoredIndex> LoadAsync(CancellationToken cancellationToken = default);

    Task ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default);
}

/// <param name="EmbeddingModelId">The model the stored vectors came from, or null for an empty store.</param>
public sealed record StoredIndex(string? EmbeddingModelId, int Dimensions, IReadOnlyList<IndexedArticle> Sources);

/// <param name="Upserts">Sources added or changed, replacing any stored rows of the same id.</param>
/// <param name="Removals">Ids of sources to delete.</param>
/// <param name="ReplaceAll">Drop everything stored first (the embedding model changed).</param>
public sealed record IndexChangeSet(
    string EmbeddingModelId,
    int Dimensions,
    IReadOnlyList<IndexedArticle> Upserts,
    IReadOnlyList<string> Removals,
    bool ReplaceAll);
