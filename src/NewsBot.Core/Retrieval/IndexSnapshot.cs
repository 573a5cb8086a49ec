using System.Numerics.Tensors;
using NewsBot.Ingestion;
using NewsBot.Sources;

namespace NewsBot.Retrieval;

/// <summary>One article with everything retrieval needs: its chunks and the embedding of each sentence and chunk.</summary>
/// <param name="SentenceVectors">Row-major, one row of <c>dimensions</c> floats per sentence, in sentence order.</param>
/// <param name="ChunkVectors">Row-major, one row per chunk, in chunk order.</param>
public sealed record IndexedArticle(Article Article, IReadOnlyList<Chunk> Chunks, float[] SentenceVectors, float[] ChunkVectors)
{
    /// <summary>The article's analysed terms as stored with it; null (or of another analysis): analysed when indexed.</summary>
    public ArticleTerms? Terms { get; init; }
}

/// <summary>How a snapshot is held: exactly (every vector as floats) up to a size, past it with an approximate dense index.</summary>
/// <param name="AnnThreshold">Past this many sentences the vectors are quantized and dense search is approximate.</param>
/// <param name="DenseIndexFactory">Builds or loads the approximate index; without one, dense search scans the quantized vectors.</param>
public sealed record SnapshotScale(int AnnThreshold, IApproximateDenseIndexFactory? DenseIndexFactory = null)
{
    public static SnapshotScale Exact { get; } = new(int.MaxValue);
}

/// <summary>
/// An immutable, fully built index: every question is answered against one snapshot, and a reload
/// builds a new one and swaps it in whole, so questions never see a half-loaded index.
/// </summary>
/// <remarks>
/// Up to <see cref="SnapshotScale.AnnThreshold"/> sentences it keeps every vector as floats and retrieval is exact.
/// Past it, sentence vectors live only in an <see cref="IApproximateDenseIndex"/> and chunk vectors as signed bytes,
/// so a million-sentence archive fits in memory; <see cref="Sources"/> then rebuilds an article's float vectors on access.
/// </remarks>
public sealed partial class IndexSnapshot : IArticleCatalog
{
    private readonly Dictionary<string, int> _sourceById;
    private readonly int[] _firstSentenceOf;
    private readonly int[] _chunkStarts;
    private readonly int[] _chunkIds;
    private readonly float[]? _sentenceMatrix;
    private readonly float[]? _chunkMatrix;
    private readonly QuantizedVectors? _chunkCodes;

    private IndexSnapshot(Builder built)
    {
        EmbeddingModelId = built.EmbeddingModelId;
        Dimensions = built.Dimensions;
        _sourceById = built.SourceById;
        SentenceRefs = built.SentenceRefs.ToArray();
        Answers = built.Answers.ToArray();
        _firstSentenceOf = [.. built.FirstSentenceOf];
        _chunkStarts = [.. built.ChunkStarts];
        _chunkIds = built.ChunkIds.ToArray();
        ChunkCount = built.ChunkBase;
        Lexical = built.Lexical.Build();
        TitleTerms = built.TitleTerms;
        Fingerprint = built.Fingerprint;
        Articles = [.. built.Articles.Select(a => a.Article)];
        if (built.Exact is { } exact)
        {
            Sources = exact;
            _sentenceMatrix = [.. exact.SelectMany(a => a.SentenceVectors)];
            _chunkMatrix = [.. exact.SelectMany(a => a.ChunkVectors)];
        }
        else
        {
            _chunkCodes = built.ChunkCodes!.Trim();
            Approximate = built.DenseIndex();
            Sources = new RebuiltSources(this, built.Articles);
        }
    }

    public static IndexSnapshot Empty { get; } = new Builder(string.Empty, 0, SnapshotScale.Exact).Build();

    public string EmbeddingModelId { get; }

    public int Dimensions { get; }

    /// <summary>Every article with its chunks and vectors; past the threshold each is rebuilt on access, so enumerate sparingly.</summary>
    public IReadOnlyList<IndexedArticle> Sources { get; }

    public IReadOnlyList<Article> Articles { get; }

    /// <summary>Names this snapshot's content: the embedding model and every article's id and version.</summary>
    public string Fingerprint { get; }

    /// <summary>The approximate dense index used past the threshold; null while retrieval is exact.</summary>
    public IApproximateDenseIndex? Approximate { get; }

    internal SentenceRef[] SentenceRefs { get; }

    /// <summary>Whether each sentence may answer a question: the headline only names the story.</summary>
    internal bool[] Answers { get; }

    internal List<IReadOnlyList<string>> TitleTerms { get; }

    public int ChunkCount { get; }

    internal LexicalIndex Lexical { get; }

    public int SentenceCount => SentenceRefs.Length;

    public static IndexSnapshot Build(string embeddingModelId, int dimensions, IReadOnlyList<IndexedArticle> sources) =>
        Build(embeddingModelId, dimensions, sources, SnapshotScale.Exact);

    /// <param name="sources">
    /// A list is put in <see cref="SourceIdOrder"/> here; any other sequence must already come in that order, and is
    /// read once, so an archive can be streamed in without every article's float vectors in memory at once.
    /// </param>
    public static IndexSnapshot Build(string embeddingModelId, int dimensions, IEnumerable<IndexedArticle> sources, SnapshotScale scale)
    {
        var builder = new Builder(embeddingModelId, dimensions, scale);
        foreach (var source in sources is IReadOnlyList<IndexedArticle> list ? list.OrderBy(s => s.Article.Id, SourceIdOrder.Instance) : sources)
            builder.Add(source);
        return builder.Build();
    }

    /// <summary>Names the content of an index of these articles, as <see cref="Fingerprint"/> does once it is built.</summary>
    public static string FingerprintOf(string embeddingModelId, int dimensions, IEnumerable<StoredSource> contents)
    {
        using var fingerprint = new Fingerprinter(embeddingModelId, dimensions);
        foreach (var source in contents)
            fingerprint.Add(source.Id, source.ContentHash, source.Sentences, source.Chunks);
        return fingerprint.Finish();
    }

    public Article? Find(string sourceId) =>
        _sourceById.TryGetValue(sourceId, out var index) ? Articles[index] : null;

    /// <summary>A sentence's distinct terms, as ids of <see cref="Lexical"/>, ascending.</summary>
    internal ReadOnlySpan<int> TermIdsOf(int sentence) => Lexical.TermIdsOf(sentence);

    /// <summary>The chunks (global positions) that hold a sentence.</summary>
    internal ReadOnlySpan<int> ChunksOf(int sentence) => _chunkIds.AsSpan(_chunkStarts[sentence], _chunkStarts[sentence + 1] - _chunkStarts[sentence]);

    /// <summary>
    /// The articles with sentences holding every one of <paramref name="terms"/>: for each (by its position in
    /// <see cref="Articles"/>), those sentences' indices in it, in order. Read off the rarest term's postings, so an archive
    /// of a million sentences is not scanned.
    /// </summary>
    internal IReadOnlyDictionary<int, List<int>> ArticlesHoldingAll(IReadOnlyCollection<string> terms)
    {
        var found = new Dictionary<int, List<int>>();
        var ids = terms.Select(Lexical.TermId).ToArray();
        if (ids.Length == 0 || ids.Any(id => id < 0))
            return found;
        var rarest = terms.MinBy(t => Lexical.DocumentsHolding(t).Length)!;
        foreach (var sentence in Lexical.DocumentsHolding(rarest))
        {
            if (!HoldsAll(TermIdsOf(sentence), ids))
                continue;
            var (source, index) = SentenceRefs[sentence];
            if (!found.TryGetValue(source, out var sentences))
                found[source] = sentences = [];
            sentences.Add(index);
        }

        return found;

        static bool HoldsAll(ReadOnlySpan<int> held, int[] ids)
        {
            foreach (var id in ids)
            {
                if (held.BinarySearch(id) < 0)
                    return false;
            }

            return true;
        }
    }

    /// <summary>A sentence's distinct terms.</summary>
    internal IReadOnlyCollection<string> TermsOf(int sentence) => new TermSet(this, sentence);

    /// <summary>The global position of an article's first sentence; its sentences follow in order.</summary>
    internal int FirstSentenceOf(int source) => _firstSentenceOf[source];

    /// <summary>Cosine similarity of a unit query vector with a sentence's vector.</summary>
    internal float SentenceSimilarity(int sentence, ReadOnlySpan<float> query)
    {
        if (_sentenceMatrix is not null)
            return TensorPrimitives.Dot(query, _sentenceMatrix.AsSpan(sentence * Dimensions, Dimensions));
        Span<float> vector = stackalloc float[Dimensions];
        Approximate!.CopyVector(sentence, vector);
        return TensorPrimitives.Dot(query, vector);
    }

    /// <summary>Cosine similarity of a unit query vector with a chunk's vector.</summary>
    internal float ChunkSimilarity(int chunk, ReadOnlySpan<float> query) =>
        _chunkMatrix is not null ? TensorPrimitives.Dot(query, _chunkMatrix.AsSpan(chunk * Dimensions, Dimensions)) : _chunkCodes!.Dot(chunk, query);

    internal int? SourceIndex(string sourceId) => _sourceById.TryGetValue(sourceId, out var index) ? index : null;

    public IReadOnlyList<SourceInfo> Describe() =>
    [
        .. Articles.Select((a, i) => new SourceInfo(
            a.Id, a.Title, a.Byline, a.Paragraphs.Count, a.Sentences.Count, ChunkCountOf(i))),
    ];

    private int ChunkCountOf(int source) => Sources is RebuiltSources rebuilt ? rebuilt.Chunks(source).Count : Sources[source].Chunks.Count;

    internal readonly record struct SentenceRef(int Source, int Sentence);

    /// <summary>A sentence's distinct terms, looked up in the shared term ids rather than held as strings per sentence.</summary>
    private sealed class TermSet(IndexSnapshot index, int sentence) : IReadOnlyCollection<string>, ICollection<string>
    {
        public int Count => index.TermIdsOf(sentence).Length;

        public bool IsReadOnly => true;

        public bool Contains(string item)
        {
            var id = index.Lexical.TermId(item);
            return id >= 0 && index.TermIdsOf(sentence).BinarySearch(id) >= 0;
        }

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
                yield return index.Lexical.Term(index.TermIdsOf(sentence)[i]);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void CopyTo(string[] array, int arrayIndex)
        {
            foreach (var term in this)
                array[arrayIndex++] = term;
        }

        public void Add(string item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();

        public bool Remove(string item) => throw new NotSupportedException();
    }

    /// <summary>Past the threshold: each article with float vectors rebuilt from the quantized ones when asked for.</summary>
    private sealed class RebuiltSources(IndexSnapshot index, List<(Article Article, IReadOnlyList<Chunk> Chunks)> articles) : IReadOnlyList<IndexedArticle>
    {
        private readonly int[] _firstChunkOf = FirstChunks(articles);

        public int Count => articles.Count;

        public IndexedArticle this[int source]
        {
            get
            {
                var (article, chunks) = articles[source];
                var dimensions = index.Dimensions;
                var sentenceVectors = new float[article.Sentences.Count * dimensions];
                for (var i = 0; i < article.Sentences.Count; i++)
                    index.Approximate!.CopyVector(index.FirstSentenceOf(source) + i, sentenceVectors.AsSpan(i * dimensions, dimensions));
                var chunkVectors = new float[chunks.Count * dimensions];
                for (var c = 0; c < chunks.Count; c++)
                    index._chunkCodes!.CopyVector(_firstChunkOf[source] + c, chunkVectors.AsSpan(c * dimensions, dimensions));
                return new IndexedArticle(article, chunks, sentenceVectors, chunkVectors);
            }
        }

        public IReadOnlyList<Chunk> Chunks(int source) => articles[source].Chunks;

        public IEnumerator<IndexedArticle> GetEnumerator()
        {
            for (var i = 0; i < articles.Count; i++)
                yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private static int[] FirstChunks(List<(Article Article, IReadOnlyList<Chunk> Chunks)> articles)
        {
            var first = new int[articles.Count];
            for (int i = 0, next = 0; i < articles.Count; next += articles[i].Chunks.Count, i++)
                first[i] = next;
            return first;
        }
    }
}
