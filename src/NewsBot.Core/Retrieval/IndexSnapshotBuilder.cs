using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NewsBot.Sources;

namespace NewsBot.Retrieval;

public sealed partial class IndexSnapshot
{
    /// <summary>
    /// Builds a snapshot from articles added one at a time in <see cref="SourceIdOrder"/>, so a store can stream an
    /// archive in: past the threshold no article's float vectors are kept once it has been added.
    /// </summary>
    internal sealed class Builder
    {
        private readonly SnapshotScale _scale;
        private readonly IApproximateDenseIndex? _persisted;
        private readonly string? _expectedFingerprint;
        private readonly Fingerprinter _fingerprint;
        private QuantizedVectors? _sentenceCodes;
        private string? _previousId;
        private bool _built;

        /// <param name="persisted">
        /// The approximate index already persisted for the content about to be added (its fingerprint is
        /// <paramref name="expectedFingerprint"/>): sentence vectors are then neither needed nor kept.
        /// </param>
        /// <param name="expectedSentences">How many sentences will be added, when known: past the threshold their codes are allocated once.</param>
        /// <param name="expectedChunks">How many chunks will be added, when known, so their codes are allocated once.</param>
        public Builder(
            string embeddingModelId, int dimensions, SnapshotScale scale,
            IApproximateDenseIndex? persisted = null, string? expectedFingerprint = null, int expectedSentences = 0, int expectedChunks = 0)
        {
            EmbeddingModelId = embeddingModelId;
            Dimensions = dimensions;
            _scale = scale;
            _persisted = persisted;
            _expectedFingerprint = expectedFingerprint;
            _fingerprint = new Fingerprinter(embeddingModelId, dimensions);
            if (persisted is not null)
            {
                ArgumentNullException.ThrowIfNull(expectedFingerprint);
                ChunkCodes = new QuantizedVectors(dimensions, expectedChunks);
            }
            else if (expectedSentences > scale.AnnThreshold)
            {
                (_sentenceCodes, ChunkCodes) = (new QuantizedVectors(dimensions, expectedSentences), new QuantizedVectors(dimensions, expectedChunks));
            }
            else
            {
                Exact = [];
            }
        }

        public string EmbeddingModelId { get; }

        public int Dimensions { get; }

        public Dictionary<string, int> SourceById { get; } = new(StringComparer.OrdinalIgnoreCase);

        public SegmentedList<SentenceRef> SentenceRefs { get; } = new();

        public SegmentedList<bool> Answers { get; } = new();

        public List<int> FirstSentenceOf { get; } = [];

        public List<int> ChunkStarts { get; } = [0];

        public SegmentedList<int> ChunkIds { get; } = new();

        public int ChunkBase { get; private set; }

        public LexicalIndex.Builder Lexical { get; } = new();

        public List<IReadOnlyList<string>> TitleTerms { get; } = [];

        public List<(Article Article, IReadOnlyList<Chunk> Chunks)> Articles { get; } = [];

        /// <summary>Every article with its float vectors while the snapshot is exact; null once it is not.</summary>
        public List<IndexedArticle>? Exact { get; private set; }

        public QuantizedVectors? ChunkCodes { get; private set; }

        public string Fingerprint { get; private set; } = "";

        public void Add(IndexedArticle source)
        {
            var (article, chunks, sentenceVectors, chunkVectors) = source;
            if (_previousId is not null && SourceIdOrder.Instance.Compare(_previousId, article.Id) >= 0)
                throw new ArgumentException("Sources must come in ascending order of id, each id once.", nameof(source));
            _previousId = article.Id;
            if ((_persisted is null && sentenceVectors.Length != article.Sentences.Count * Dimensions) || chunkVectors.Length != chunks.Count * Dimensions)
                throw new ArgumentException("Every sentence and chunk needs exactly one vector of the index's dimensions.", nameof(source));

            var s = Articles.Count;
            SourceById[article.Id] = s;
            FirstSentenceOf.Add(checked((int)SentenceRefs.Count));
            _fingerprint.Add(article.Id, article.ContentHash, article.Sentences.Count, chunks.Count);
            AddTerms(source);
            var titleParagraphs = article.Paragraphs.Where(p => p.Kind is ParagraphKind.Title).Select(p => p.Number).ToHashSet();
            foreach (var sentence in article.Sentences)
            {
                for (var c = 0; c < chunks.Count; c++)
                {
                    if (chunks[c].FirstSentence <= sentence.Index && sentence.Index <= chunks[c].LastSentence)
                        ChunkIds.Add(ChunkBase + c);
                }

                ChunkStarts.Add(checked((int)ChunkIds.Count));
                SentenceRefs.Add(new SentenceRef(s, sentence.Index));
                Answers.Add(!titleParagraphs.Contains(sentence.Paragraph));
            }

            Articles.Add((article, chunks));
            ChunkBase += chunks.Count;
            AddVectors(source);
        }

        public IndexSnapshot Build()
        {
            if (_built)
                throw new InvalidOperationException("A snapshot builder builds once.");
            _built = true;
            Fingerprint = _fingerprint.Finish();
            _fingerprint.Dispose();
            if (_expectedFingerprint is not null && _expectedFingerprint != Fingerprint)
                throw new InvalidDataException("The stored articles differ from the list of contents the store gave for them.");
            return new IndexSnapshot(this);
        }

        /// <summary>The approximate dense index: the persisted one, else the one the factory loads or builds, else a scan.</summary>
        public IApproximateDenseIndex DenseIndex()
        {
            if (_persisted is not null)
                return _persisted;
            var codes = _sentenceCodes!.Trim();
            if (_scale.DenseIndexFactory is not { } factory)
                return new QuantizedScanIndex(codes);
            var layout = new DenseIndexLayout(
                EmbeddingModelId, [.. Articles.Select(a => new DenseIndexArticle(a.Article.Id, a.Article.ContentHash, a.Article.Sentences.Count))]);
            return factory.Open(Fingerprint, codes, layout);
        }

        /// <summary>Terms as stored with the article when they fit it; otherwise analysed now.</summary>
        private void AddTerms(IndexedArticle source)
        {
            var terms = source.Terms is { } stored && stored.Fits(source.Article) ? stored : ArticleTerms.Of(source.Article);
            var lines = terms.Lines.AsSpan();
            var first = true;
            foreach (var range in lines.Split('\n'))
            {
                var line = lines[range];
                if (first)
                {
                    var title = new List<string>();
                    foreach (var term in line.Split(' '))
                    {
                        if (term.End.Value > term.Start.Value)
                            title.Add(Lexical.Intern(line[term]));
                    }

                    TitleTerms.Add(title);
                    first = false;
                    continue;
                }

                Lexical.Add(line);
            }
        }

        private void AddVectors(IndexedArticle source)
        {
            if (Exact is not null)
            {
                Exact.Add(source);
                if (SentenceRefs.Count <= _scale.AnnThreshold)
                    return;

                // Past the threshold: from here on no float vector is kept.
                (_sentenceCodes, ChunkCodes) = (new QuantizedVectors(Dimensions), new QuantizedVectors(Dimensions));
                foreach (var kept in Exact)
                {
                    _sentenceCodes.Add(kept.SentenceVectors);
                    ChunkCodes.Add(kept.ChunkVectors);
                }

                Exact = null;
                return;
            }

            _sentenceCodes?.Add(source.SentenceVectors);
            ChunkCodes!.Add(source.ChunkVectors);
        }
    }

    /// <summary>SHA-256 of the embedding model, the dimensions and every article's id, version and size, in order.</summary>
    private sealed class Fingerprinter : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public Fingerprinter(string embeddingModelId, int dimensions) =>
            Append(string.Create(CultureInfo.InvariantCulture, $"{embeddingModelId}\n{dimensions}\n"));

        public void Add(string id, string contentHash, int sentences, int chunks) =>
            Append(string.Create(CultureInfo.InvariantCulture, $"{id}\n{contentHash}\n{sentences}\n{chunks}\n"));

        public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public void Dispose() => _hash.Dispose();

        private void Append(string text) => _hash.AppendData(Encoding.UTF8.GetBytes(text));
    }
}
