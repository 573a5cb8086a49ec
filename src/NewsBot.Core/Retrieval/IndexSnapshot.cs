using NewsBot.Sources;

namespace NewsBot.Retrieval;

/// <summary>One article with everything retrieval needs: its chunks and the embedding of each sentence and chunk.</summary>
/// <param name="SentenceVectors">Row-major, one row of <c>dimensions</c> floats per sentence, in sentence order.</param>
/// <param name="ChunkVectors">Row-major, one row per chunk, in chunk order.</param>
public sealed record IndexedArticle(Article Article, IReadOnlyList<Chunk> Chunks, float[] SentenceVectors, float[] ChunkVectors);

/// <summary>
/// An immutable, fully built index: every question is answered against one snapshot, and a reload
/// builds a new one and swaps it in whole, so questions never see a half-loaded index.
/// </summary>
public sealed partial class IndexSnapshot : IArticleCatalog
{
    private readonly Dictionary<string, int> _sourceById;

    private IndexSnapshot(string embeddingModelId, int dimensions, IReadOnlyList<IndexedArticle> sources)
    {
        EmbeddingModelId = embeddingModelId;
        Dimensions = dimensions;
        Sources = sources;
        Articles = [.. sources.Select(s => s.Article)];
        _sourceById = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sources.Count; i++)
            _sourceById[sources[i].Article.Id] = i;

        var refs = new List<SentenceRef>();
        var quotable = new List<bool>();
        var terms = new List<IReadOnlyList<string>>();
        var sentenceMatrix = new List<float>();
        var chunkScoreRows = new List<int[]>();
        var chunkMatrix = new List<float>();
        var chunkBase = 0;
        for (var s = 0; s < sources.Count; s++)
        {
            var (article, chunks, sentenceVectors, chunkVectors) = sources[s];
            var analyzedTitle = TermAnalyzer.Shared.Terms(article.Title);
            foreach (var sentence in article.Sentences)
            {
                var containing = new List<int>();
                for (var c = 0; c < chunks.Count; c++)
                {
                    if (chunks[c].FirstSentence <= sentence.Index && sentence.Index <= chunks[c].LastSentence)
                        containing.Add(chunkBase + c);
                }

                refs.Add(new SentenceRef(s, sentence.Index));
                quotable.Add(article.Paragraphs.FirstOrDefault(p => p.Number == sentence.Paragraph)?.Kind is not ParagraphKind.Title);
                terms.Add(TermAnalyzer.Shared.Terms(sentence.Text));
                chunkScoreRows.Add([.. containing]);
            }

            sentenceMatrix.AddRange(sentenceVectors);
            chunkMatrix.AddRange(chunkVectors);
            chunkBase += chunks.Count;
            TitleTerms.Add(analyzedTitle);
        }

        SentenceRefs = [.. refs];
        Answers = [.. quotable];
        SentenceTerms = [.. terms];
        SentenceTermSets = [.. terms.Select(t => new HashSet<string>(t, StringComparer.Ordinal))];
        ChunksOfSentence = [.. chunkScoreRows];
        SentenceMatrix = [.. sentenceMatrix];
        ChunkMatrix = [.. chunkMatrix];
        ChunkCount = chunkBase;
        Lexical = LexicalIndex.Build(terms);
        if (SentenceMatrix.Length != SentenceRefs.Length * dimensions || ChunkMatrix.Length != ChunkCount * dimensions)
            throw new ArgumentException("Every sentence and chunk needs exactly one vector of the index's dimensions.", nameof(sources));
    }

    public static IndexSnapshot Empty { get; } = new(string.Empty, 0, []);

    public string EmbeddingModelId { get; }

    public int Dimensions { get; }

    public IReadOnlyList<IndexedArticle> Sources { get; }

    public IReadOnlyList<Article> Articles { get; }

    internal SentenceRef[] SentenceRefs { get; }

    internal IReadOnlyList<string>[] SentenceTerms { get; }

    /// <summary>Whether each sentence may answer a question: the headline only names the story.</summary>
    internal bool[] Answers { get; }

    internal HashSet<string>[] SentenceTermSets { get; }

    internal List<IReadOnlyList<string>> TitleTerms { get; } = [];

    internal int[][] ChunksOfSentence { get; }

    internal float[] SentenceMatrix { get; }

    internal float[] ChunkMatrix { get; }

    internal int ChunkCount { get; }

    internal LexicalIndex Lexical { get; }

    public int SentenceCount => SentenceRefs.Length;

    public static IndexSnapshot Build(string embeddingModelId, int dimensions, IReadOnlyList<IndexedArticle> sources) =>
        new(embeddingModelId, dimensions, [.. sources.OrderBy(s => s.Article.Id, StringComparer.Ordinal)]);

    public Article? Find(string sourceId) =>
        _sourceById.TryGetValue(sourceId, out var index) ? Sources[index].Article : null;

    /// <summary>
    /// Names in the question (capitalised words past its first) that no article of this index mentions:
    /// a question about someone or something the articles never name cannot be answered from them.
    /// </summary>
    public IReadOnlyList<string> UnknownNames(string question)
    {
        var unknown = new List<string>();
        foreach (System.Text.RegularExpressions.Match word in NameLike().Matches(question))
        {
            // The first word is capitalised anyway; an acronym may stand for words the article spells out.
            if (word.Index == 0 || (word.Length <= 5 && word.Value.All(c => !char.IsLower(c))))
                continue;
            var terms = TermAnalyzer.Shared.Terms(word.Value);
            if (terms.Count > 0 && terms.All(t => Lexical.DocumentFrequency(t) == 0 && !TitleTerms.Any(title => title.Contains(t, StringComparer.Ordinal)))
                && !LettersOnly.Value.Contains(Letters(word.Value), StringComparison.Ordinal))
                unknown.Add(word.Value);
        }

        return unknown;
    }

    /// <summary>All article text as lower-case letters only, so "Superbowl" is found in "Super Bowl".</summary>
    private Lazy<string> LettersOnly => _lettersOnly ??= new Lazy<string>(() => Letters(string.Concat(Sources.Select(s => s.Article.Text))));

    private Lazy<string>? _lettersOnly;

    private static string Letters(string text) => string.Concat(text.Where(char.IsLetter).Select(char.ToLowerInvariant));

    [System.Text.RegularExpressions.GeneratedRegex(@"\b\p{Lu}[\p{L}\p{N}'’\-]*")]
    private static partial System.Text.RegularExpressions.Regex NameLike();

    internal int? SourceIndex(string sourceId) => _sourceById.TryGetValue(sourceId, out var index) ? index : null;

    public IReadOnlyList<SourceInfo> Describe() =>
    [
        .. Sources.Select(s => new SourceInfo(
            s.Article.Id, s.Article.Title, s.Article.Byline, s.Article.Paragraphs.Count, s.Article.Sentences.Count, s.Chunks.Count)),
    ];

    internal readonly record struct SentenceRef(int Source, int Sentence);
}
