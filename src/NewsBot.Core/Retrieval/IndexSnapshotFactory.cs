using Microsoft.Extensions.Options;
using NewsBot.Ingestion;

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

    /// <summary>
    /// Builds the snapshot of the version a store reader is open on, streaming its articles. Past the threshold,
    /// when the approximate index of exactly this content is persisted, it is opened first and sentence vectors are
    /// not read at all; stored terms spare the analysis of every sentence.
    /// </summary>
    public async Task<IndexSnapshot> LoadAsync(IStoredIndexReader stored, CancellationToken cancellationToken = default)
    {
        if (stored.EmbeddingModelId is not { } model || stored.Contents.Count == 0)
            return IndexSnapshot.Empty;
        var scale = Scale;
        var sentences = stored.Contents.Sum(c => (long)c.Sentences);
        var fingerprint = IndexSnapshot.FingerprintOf(model, stored.Dimensions, stored.Contents);
        var persisted = sentences > scale.AnnThreshold
            ? scale.DenseIndexFactory?.TryOpen(fingerprint, checked((int)sentences), stored.Dimensions)
            : null;
        var builder = new IndexSnapshot.Builder(
            model, stored.Dimensions, scale, persisted, persisted is null ? null : fingerprint, stored.Contents.Sum(c => c.Chunks));
        await foreach (var source in stored.ReadAsync(persisted is null ? StoredVectors.All : StoredVectors.Chunks, cancellationToken))
            builder.Add(source);
        return builder.Build();
    }
}
