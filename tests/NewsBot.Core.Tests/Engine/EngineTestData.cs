using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Core.Tests.Ingestion;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;
using NSubstitute;

namespace NewsBot.Core.Tests.Engine;

/// <summary>Hand-made articles and indexes with chosen vectors, so ranking can be checked without a model.</summary>
internal static class EngineTestData
{
    /// <summary>
    /// An article whose first paragraph is <paramref name="title"/> and whose body paragraphs hold the given
    /// sentences (a sentence per string, a paragraph per inner list), with offsets into the joined text.
    /// </summary>
    /// <summary>Four sentences or fewer, naming no one, quoting no one and naming no year.</summary>
    public static readonly Article QuietStorm = Article("storm", "Storm closes the harbour",
        ["A winter storm closed the harbour on Monday.", "Ferries will resume on Thursday."]);

    public static Article Article(string id, string title, params string[][] body) =>
        Article(id, title, [.. body.Select(p => (ParagraphKind.Body, p))]);

    /// <param name="titleIsSentence">The reader makes the headline a sentence too (retrieval must never quote it).</param>
    public static Article Article(string id, string title, IReadOnlyList<(ParagraphKind Kind, string[] Sentences)> paragraphs, bool titleIsSentence = false)
    {
        var text = new System.Text.StringBuilder(title);
        var paragraphList = new List<Paragraph> { new(1, ParagraphKind.Title, 0, title.Length) };
        var sentences = new List<Sentence>();
        if (titleIsSentence)
            sentences.Add(new Sentence(0, 1, 0, title.Length, title));
        foreach (var (kind, parts) in paragraphs)
        {
            text.Append("\n\n");
            var number = paragraphList.Count + 1;
            var start = text.Length;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                    text.Append(' ');
                var at = text.Length;
                text.Append(parts[i]);
                if (kind.IsQuotable())
                    sentences.Add(new Sentence(sentences.Count, number, at, text.Length, parts[i]));
            }

            paragraphList.Add(new Paragraph(number, kind, start, text.Length));
        }

        return new Article(id, $"/seeds/{id}.txt", "hash-" + id, title, null, null, [], text.ToString(), paragraphList, sentences);
    }

    /// <summary>One chunk per sentence; vectors are given per sentence and reused for its chunk.</summary>
    public static IndexedArticle Indexed(Article article, IReadOnlyList<float[]> sentenceVectors)
    {
        Assert.Equal(article.Sentences.Count, sentenceVectors.Count);
        var chunks = article.Sentences
            .Select(s => new Chunk(s.Index, s.Index, s.Index, s.Start, s.End, 10))
            .ToList();
        var flat = sentenceVectors.SelectMany(v => v).ToArray();
        return new IndexedArticle(article, chunks, flat, [.. flat]);
    }

    public static IndexSnapshot Snapshot(int dimensions, params IndexedArticle[] sources) =>
        IndexSnapshot.Build("test-model", dimensions, sources);

    /// <summary>The unit vector along <paramref name="axis"/>.</summary>
    public static float[] Unit(int dimensions, int axis)
    {
        var v = new float[dimensions];
        v[axis] = 1;
        return v;
    }

    /// <summary>A deterministic pseudo-random unit vector.</summary>
    public static float[] RandomUnit(int dimensions, int seed)
    {
        var random = new Random(seed);
        var v = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    /// <summary>
    /// An extractive answerer over one article whose sentence i has unit vector i (capped at the last axis)
    /// and whose embedding of any question is <paramref name="queryVector"/>.
    /// </summary>
    public static ExtractiveAnswerer Answerer(Article article, int dimensions, float[] queryVector, AnsweringOptions? options = null, IAnswerReader? reader = null)
    {
        var index = new CurrentIndex();
        index.Publish(Snapshot(dimensions, Indexed(article, [.. article.Sentences.Select(s => Unit(dimensions, Math.Min(s.Index, dimensions - 1)))])));
        return new ExtractiveAnswerer(index, Retriever(new FixedEmbeddings(_ => queryVector)), Options.Create(options ?? new AnsweringOptions()), reader);
    }

    /// <summary>
    /// The engine as the host wires it (rule-based answerer, topic-carrying condenser, memory) over <paramref name="story"/>,
    /// whose sentence i has unit vector i and whose embedding of any question is that of its first sentence.
    /// </summary>
    public static NewsBotEngine WiredEngine(Article story, AnsweringOptions? options = null, IndexHealth? health = null) =>
        WiredEngine([story], options, health);

    /// <summary>The same engine over several articles, in this order.</summary>
    public static NewsBotEngine WiredEngine(IReadOnlyList<Article> stories, AnsweringOptions? options = null, IndexHealth? health = null, IAnswerReader? reader = null)
    {
        health ??= new IndexHealth(TimeProvider.System);
        const int dims = 4;
        var index = new CurrentIndex();
        index.Publish(Snapshot(dims, [.. stories.Select(story => Indexed(story, [.. story.Sentences.Select(s => Unit(dims, s.Index))]))]));
        var embeddings = new FixedEmbeddings(_ => Unit(dims, 0));
        var answering = Options.Create(options ?? new AnsweringOptions());
        var retrieval = Options.Create(new RetrievalOptions());
        // Reloads are not exercised here; the ingestor behind them only has to exist.
        var ingestor = new Ingestor(index, new IndexSnapshotFactory(retrieval), Substitute.For<IIndexStore>(), embeddings,
            new ArticleReader(new SentenceSegmenter()), new Chunker(IngestionTestFiles.Tokenizer, Options.Create(new ChunkingOptions())),
            Options.Create(new IngestionOptions()), health, TimeProvider.System, NullLogger<Ingestor>.Instance);
        return new NewsBotEngine(index, new QuestionGuard(answering), new ExtractiveAnswerer(index, new SentenceRetriever(embeddings, retrieval), answering, reader),
            new ExtractiveSummarizer(index), new ConversationMemory(TimeProvider.System), new TopicCarryingCondenser(), new ReloadCoordinator(ingestor),
            health, TimeProvider.System, NullLogger<NewsBotEngine>.Instance);
    }

    /// <summary>A reader that gives each candidate the verdict <paramref name="verdictOf"/> returns for its sentence.</summary>
    public static IAnswerReader ScriptedReader(double threshold, Func<string, ReaderVerdict> verdictOf, AnswerFusion? fusion = null)
    {
        var reader = Substitute.For<IAnswerReader>();
        reader.MinProbability.Returns(threshold);
        reader.Fusion.Returns(fusion);
        reader.KnowsWord(Arg.Any<string>()).Returns(true);
        reader.ReadAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<ReaderCandidate>>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult<IReadOnlyList<ReaderVerdict>>([.. call.Arg<IReadOnlyList<ReaderCandidate>>().Select(c => verdictOf(c.Sentence))]));
        return reader;
    }

    public static SentenceRetriever Retriever(IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, RetrievalOptions? options = null) =>
        new(embeddings ?? new FixedEmbeddings(_ => [0f]), Options.Create(options ?? new RetrievalOptions()));
}

/// <summary>An embedding generator that answers every text with the vector a function chooses for it.</summary>
internal sealed class FixedEmbeddings(Func<string, float[]> vectorOf) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(vectorOf(v)))));

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
