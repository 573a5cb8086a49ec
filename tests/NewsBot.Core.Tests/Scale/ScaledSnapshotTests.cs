using System.Numerics.Tensors;
using NewsBot.Retrieval;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Scale;

public class ScaledSnapshotTests
{
    private const int Dims = 32;

    private static readonly string[] Words =
    [
        "council", "budget", "harbour", "festival", "volunteers", "mayor", "rain", "region", "weekend", "school",
        "teachers", "strike", "bridge", "repairs", "river", "flood", "police", "report", "hospital", "nurses",
        "election", "candidate", "museum", "exhibition", "train", "station", "delay", "farmers", "market", "prices",
    ];

    [Fact]
    public void Up_to_the_threshold_the_snapshot_is_exact_and_past_it_approximate()
    {
        var sources = Archive(articles: 6, sentencesEach: 5);

        var exact = IndexSnapshot.Build("m", Dims, sources, new SnapshotScale(30));
        var approximate = IndexSnapshot.Build("m", Dims, sources, new SnapshotScale(29));

        Assert.Null(exact.Approximate);
        Assert.NotNull(approximate.Approximate);
        Assert.Equal(30, approximate.Approximate.Count);
        Assert.Equal(exact.Fingerprint, approximate.Fingerprint);
    }

    [Fact]
    public void Past_the_threshold_articles_keep_their_vectors_closely()
    {
        var sources = Archive(articles: 4, sentencesEach: 6);
        var approximate = IndexSnapshot.Build("m", Dims, sources, new SnapshotScale(5));

        for (var s = 0; s < sources.Count; s++)
        {
            var rebuilt = approximate.Sources[s];
            Assert.Same(sources[s].Article, rebuilt.Article);
            Assert.Equal(sources[s].SentenceVectors.Length, rebuilt.SentenceVectors.Length);
            for (var i = 0; i < rebuilt.Article.Sentences.Count; i++)
            {
                var original = sources[s].SentenceVectors.AsSpan(i * Dims, Dims);
                Assert.True(TensorPrimitives.CosineSimilarity(original, rebuilt.SentenceVectors.AsSpan(i * Dims, Dims)) > 0.999);
            }

            Assert.True(TensorPrimitives.CosineSimilarity(sources[s].ChunkVectors, rebuilt.ChunkVectors) > 0.999);
        }

        Assert.Equal(approximate.Describe(), IndexSnapshot.Build("m", Dims, sources).Describe());
    }

    [Fact]
    public void Approximate_retrieval_ranks_like_exact_retrieval_on_a_small_archive()
    {
        var sources = Archive(articles: 8, sentencesEach: 6);
        var exact = IndexSnapshot.Build("m", Dims, sources);
        var approximate = IndexSnapshot.Build("m", Dims, sources, new SnapshotScale(10));
        var retriever = Retriever();

        for (var q = 0; q < 12; q++)
        {
            var target = sources[q % sources.Count].Article.Sentences[q % 6];
            var question = QuestionAnalysis.Of("What about " + string.Join(' ', target.Text.Split(' ').Take(4)) + "?");
            var query = sources[q % sources.Count].SentenceVectors.AsSpan((q % 6) * Dims, Dims).ToArray();

            var expected = retriever.Rank(exact, question, query, null);
            var actual = retriever.Rank(approximate, question, query, null);

            Assert.Equal(expected[0].Sentence, actual[0].Sentence);
            Assert.Equal(expected[0].Lexical, actual[0].Lexical, 5);
            Assert.Equal(expected[0].Dense, actual[0].Dense, 2);
            // Quantized vectors may swap near ties lower down, not replace the leaders.
            Assert.True(expected.Take(5).Select(c => c.Sentence).Intersect(actual.Take(5).Select(c => c.Sentence)).Count() >= 4);
        }
    }

    [Fact]
    public void Within_one_article_approximate_retrieval_ranks_all_of_its_sentences()
    {
        var sources = Archive(articles: 5, sentencesEach: 6);
        var approximate = IndexSnapshot.Build("m", Dims, sources, new SnapshotScale(10));
        var query = sources[3].SentenceVectors.AsSpan(2 * Dims, Dims).ToArray();

        var ranked = Retriever().Rank(approximate, QuestionAnalysis.Of("What happened to the bridge?"), query, approximate.SourceIndex(sources[3].Article.Id));

        Assert.Equal(6, ranked.Count);
        Assert.All(ranked, c => Assert.Equal(sources[3].Article.Id, c.Article.Id));
        Assert.Equal(2, ranked[0].Sentence.Index);
    }

    [Fact]
    public void A_stream_out_of_id_order_is_refused()
    {
        var sources = Archive(articles: 3, sentencesEach: 2);

        var error = Assert.Throws<ArgumentException>(() => IndexSnapshot.Build("m", Dims, sources.AsEnumerable().Reverse().Select(s => s), SnapshotScale.Exact));

        Assert.Contains("ascending order of id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fingerprint_changes_with_any_article_version_and_the_model()
    {
        var sources = Archive(articles: 3, sentencesEach: 2);
        var changed = sources.ToList();
        changed[1] = changed[1] with { Article = changed[1].Article with { ContentHash = "another" } };

        var fingerprint = IndexSnapshot.Build("m", Dims, sources).Fingerprint;

        Assert.Equal(fingerprint, IndexSnapshot.Build("m", Dims, [.. sources]).Fingerprint);
        Assert.NotEqual(fingerprint, IndexSnapshot.Build("m", Dims, changed).Fingerprint);
        Assert.NotEqual(fingerprint, IndexSnapshot.Build("other-model", Dims, sources).Fingerprint);
        Assert.NotEqual(fingerprint, IndexSnapshot.Build("m", Dims, sources.Take(2).ToList()).Fingerprint);
    }

    /// <summary>Articles of made-up local news, each sentence's vector the normalised sum of its words' vectors.</summary>
    internal static List<IndexedArticle> Archive(int articles, int sentencesEach)
    {
        var random = new Random(articles * 100 + sentencesEach);
        var sources = new List<IndexedArticle>();
        for (var a = 0; a < articles; a++)
        {
            var sentences = new List<string[]>();
            var vectors = new List<float[]>();
            for (var s = 0; s < sentencesEach; s++)
            {
                var words = Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)]).ToArray();
                words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
                sentences.Add([string.Join(' ', words) + "."]);
                var vector = new float[Dims];
                foreach (var word in words)
                    TensorPrimitives.Add(vector, RandomUnit(Dims, Array.IndexOf(Words, word.ToLowerInvariant()) + 1), vector);
                TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
                vectors.Add(vector);
            }

            sources.Add(Indexed(Article($"a{a:D3}", $"Local news {a}", [.. sentences]), vectors));
        }

        return sources;
    }
}
