using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using NewsBot.Ingestion;
using NewsBot.Sources;

namespace NewsBot.Core.Tests.Ingestion;

public class ChunkerTests
{
    private static readonly Article Seed = new ArticleReader().Read(IngestionTestFiles.SeedPath, File.ReadAllBytes(IngestionTestFiles.SeedPath));

    private static Chunker Create(int maxTokens = 128, int overlap = 1) =>
        new(IngestionTestFiles.Tokenizer, Options.Create(new ChunkingOptions { MaxTokens = maxTokens, OverlapSentences = overlap }));

    private static int Tokens(string text) => IngestionTestFiles.Tokenizer.EncodeToIds(text).Count;

    /// <summary>Bounds, offsets and coverage that hold for every chunking.</summary>
    private static void AssertChunks(Article article, IReadOnlyList<Chunk> chunks, int maxTokens)
    {
        Assert.NotEmpty(chunks);
        Assert.Equal(0, chunks[0].FirstSentence);
        Assert.Equal(article.Sentences.Count - 1, chunks[^1].LastSentence);
        var covered = new HashSet<int>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.Equal(article.Sentences[chunk.FirstSentence].Start, chunk.Start);
            Assert.Equal(article.Sentences[chunk.LastSentence].End, chunk.End);
            var text = article.Slice(chunk.Start, chunk.End);
            Assert.Equal(Tokens(text), chunk.TokenCount);
            if (chunk.FirstSentence != chunk.LastSentence)
                Assert.True(chunk.TokenCount <= maxTokens, $"chunk {i}: {chunk.TokenCount} tokens");

            // Only quotable prose inside a chunk: no caption or credit between its sentences.
            foreach (var paragraph in article.Paragraphs.Where(p => !p.Kind.IsQuotable()))
                Assert.False(paragraph.Start < chunk.End && paragraph.End > chunk.Start, $"chunk {i} spans a {paragraph.Kind}");

            if (i > 0)
            {
                Assert.True(chunk.FirstSentence > chunks[i - 1].FirstSentence);
                Assert.True(chunk.LastSentence > chunks[i - 1].LastSentence);
                Assert.True(chunk.FirstSentence <= chunks[i - 1].LastSentence + 1, "a sentence was skipped");
            }

            for (var s = chunk.FirstSentence; s <= chunk.LastSentence; s++)
                covered.Add(s);
        }

        Assert.Equal(article.Sentences.Count, covered.Count);
    }

    [Fact]
    public void Seed_chunks_are_within_the_default_token_bound()
    {
        var chunks = Create().Split(Seed);
        AssertChunks(Seed, chunks, 128);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 128));
        Assert.True(chunks.Count > 3);
    }

    [Fact]
    public void Token_count_includes_the_models_special_tokens()
    {
        var chunk = Create().Split(Seed)[0];
        var text = Seed.Slice(chunk.Start, chunk.End);
        Assert.Equal(IngestionTestFiles.Tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true).Count, chunk.TokenCount);
        var bert = Assert.IsType<BertTokenizer>(IngestionTestFiles.Tokenizer);
        var ids = bert.EncodeToIds(text);
        Assert.Equal(bert.ClassificationTokenId, ids[0]);
        Assert.Equal(bert.SeparatorTokenId, ids[^1]);
    }

    [Fact]
    public void Consecutive_chunks_overlap_by_the_configured_sentences()
    {
        foreach (var overlap in new[] { 1, 2 })
        {
            var chunks = Create(maxTokens: 96, overlap: overlap).Split(Seed);
            AssertChunks(Seed, chunks, 96);
            var sameRun = chunks.Zip(chunks.Skip(1))
                .Where(pair => pair.Second.FirstSentence <= pair.First.LastSentence)
                .ToList();
            Assert.NotEmpty(sameRun);
            Assert.All(sameRun, pair => Assert.InRange(pair.First.LastSentence - pair.Second.FirstSentence + 1, 1, overlap));
            Assert.Contains(sameRun, pair => pair.First.LastSentence - pair.Second.FirstSentence + 1 == overlap);
        }
    }

    [Fact]
    public void Without_overlap_chunks_partition_the_sentences()
    {
        var chunks = Create(maxTokens: 64, overlap: 0).Split(Seed);
        AssertChunks(Seed, chunks, 64);
        Assert.Equal(Seed.Sentences.Count, chunks.Sum(c => c.LastSentence - c.FirstSentence + 1));
    }

    [Fact]
    public void An_over_long_sentence_is_a_chunk_of_its_own()
    {
        var longSentence = "The committee heard " + string.Join(", ", Enumerable.Range(1, 40).Select(i => $"witness number {i}")) + ".";
        var article = IngestionTestFiles.Read("long.txt", $"Committee hearing ends\n\nThe hearing opened on Monday. {longSentence} It closed on Friday.\n\nThe report is due in May.\n");
        var chunks = Create(maxTokens: 32).Split(article);
        AssertChunks(article, chunks, 32);

        var index = article.Sentences.Single(s => s.Text == longSentence).Index;
        var alone = Assert.Single(chunks, c => c.FirstSentence == index && c.LastSentence == index);
        Assert.True(alone.TokenCount > 32);
        Assert.DoesNotContain(chunks, c => c != alone && c.FirstSentence <= index && c.LastSentence >= index);
    }

    [Fact]
    public void Chunks_cross_paragraphs_but_not_captions()
    {
        var chunks = Create(maxTokens: 256, overlap: 0).Split(Seed);
        AssertChunks(Seed, chunks, 256);
        Assert.Contains(chunks, c => Seed.Sentences[c.FirstSentence].Paragraph != Seed.Sentences[c.LastSentence].Paragraph);
    }

    [Fact]
    public void Article_without_sentences_has_no_chunks()
    {
        var empty = Seed with { Sentences = [] };
        Assert.Empty(Create().Split(empty));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(128, -1)]
    [InlineData(100_000, 1)]
    public void Invalid_options_are_rejected(int maxTokens, int overlap)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Create(maxTokens, overlap));
        Assert.Contains(ChunkingOptions.Section, ex.Message, StringComparison.Ordinal);
        Assert.True(new ChunkingOptionsValidator().Validate(null, new ChunkingOptions { MaxTokens = maxTokens, OverlapSentences = overlap }).Failed);
    }
}
