using Microsoft.Extensions.Options;

namespace NewsBot.Retrieval;

/// <summary>
/// Builds snapshots the way the configuration asks: exact up to <see cref="RetrievalOptions.AnnThreshold"/>
/// sentences, with the registered approximate dense index past it.
/// </summary>
public sealed class IndexSnapshotFactory(IOptions<RetrievalOptions> options, IApproximateDenseIndexFactory? denseIndexFactory = null)
{
    public SnapshotScale Scale => new(options.Value.AnnThreshold, denseIndexFactory);

    /// <inheritdoc cref="IndexSnapshot.Build(string, int, IEnumerable{IndexedArticle}, SnapshotScale)"/>
    public IndexSnapshot Build(string embeddingModelId, int dimensions, IEnumerable<IndexedArticle> sources) =>
        IndexSnapshot.Build(embeddingModelId, dimensions, sources, Scale);
}
