using NewsBot.Ingestion;
using NewsBot.Retrieval;

namespace NewsBot.Tests.Support;

/// <summary>Everything a store's current version holds, read at once: what a test compares.</summary>
public sealed record StoredContents(string? EmbeddingModelId, long Version, IReadOnlyList<IndexedArticle> Sources)
{
    public static async Task<StoredContents> ReadAsync(IIndexStore store)
    {
        await using var reader = await store.OpenReadAsync();
        var sources = new List<IndexedArticle>();
        await foreach (var source in reader.ReadAsync(StoredVectors.All))
            sources.Add(source);
        return new StoredContents(reader.EmbeddingModelId, reader.Version, sources);
    }
}
