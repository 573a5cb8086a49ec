using System.Threading.Channels;
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
            model, stored.Dimensions, scale, persisted, fingerprint, checked((int)sentences), stored.Contents.Sum(c => c.Chunks));

        // Reading the store and building the snapshot overlap, each on a core of its own when two are free.
        var articles = Channel.CreateBounded<IndexedArticle>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadIntoAsync(stored, persisted is null ? StoredVectors.All : StoredVectors.Chunks, articles.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await articles.Reader.WaitToReadAsync(cancellationToken))
            {
                while (articles.Reader.TryRead(out var source))
                    builder.Add(source);
            }
        }
        catch
        {
            await stop.CancelAsync();
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        // A failed read ends the articles early: its exception, not a snapshot of what came before it.
        await reading;
        return builder.Build();
    }

    private static async Task ReadIntoAsync(IStoredIndexReader stored, StoredVectors vectors, ChannelWriter<IndexedArticle> articles, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var source in stored.ReadAsync(vectors, cancellationToken))
                await articles.WriteAsync(source, cancellationToken);
        }
        finally
        {
            articles.Complete();
        }
    }
}
