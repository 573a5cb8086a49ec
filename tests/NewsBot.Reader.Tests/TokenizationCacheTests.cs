using NewsBot.Answering;

namespace NewsBot.Reader.Tests;

public class TokenizationCacheTests
{
    private const string Sentence = "“Due to the heavy demands of his schedule, the prime minister must decline,” the Île-de-France office wrote.";

    private static void AssertSameTokens(TokenizedText expected, TokenizedText actual)
    {
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Offsets, actual.Offsets);
    }

    [Fact]
    public void A_cached_tokenization_equals_a_fresh_one_and_is_reused()
    {
        var cache = new TokenizationCache(ShippedModel.Tokenizer, capacity: 16);

        var first = cache.Tokenize(Sentence);
        var again = cache.Tokenize(Sentence);

        AssertSameTokens(ShippedModel.Tokenizer.Tokenize(Sentence), first);
        Assert.Same(first, again);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_full_cache_starts_over_and_still_tokenizes_correctly()
    {
        var cache = new TokenizationCache(ShippedModel.Tokenizer, capacity: 2);
        string[] texts = ["First sentence.", "Second sentence.", "Third sentence.", "Fourth one."];

        foreach (var text in texts)
            cache.Tokenize(text);

        Assert.InRange(cache.Count, 1, 2);
        foreach (var text in texts)
            AssertSameTokens(ShippedModel.Tokenizer.Tokenize(text), cache.Tokenize(text));
        Assert.InRange(cache.Count, 1, 2);
    }

    [Fact]
    public void After_a_reload_a_changed_sentence_is_read_as_it_now_is()
    {
        var pairs = new ReaderPairs(ShippedModel.Tokenizer, ShippedModel.Settings);
        var fresh = new ReaderPairs(ShippedModel.Tokenizer, ShippedModel.Settings);
        var question = pairs.Question("Why did the PMO decline?");
        var before = new ReaderCandidate("Netanyahu declines meeting", "The request came in May.", "The PMO cited his schedule.");
        var after = before with { Sentence = "The PMO cited his schedule and the forum's timing." };

        pairs.Build(question, before);
        var reread = pairs.Build(question, after);

        var expected = fresh.Build(question, after);
        Assert.Equal(expected.InputIds, reread.InputIds);
        Assert.Equal(expected.SentenceOffsets, reread.SentenceOffsets);
    }

    [Fact]
    public void Pairs_built_from_the_cache_equal_pairs_built_from_scratch()
    {
        var pairs = new ReaderPairs(ShippedModel.Tokenizer, ShippedModel.Settings);
        var question = pairs.Question("Who runs Kaspersky Lab?");
        var candidate = new ReaderCandidate("Netanyahu turns down meeting", "Kaspersky Lab is based in Moscow.", Sentence);

        var first = pairs.Build(question, candidate);
        var cached = pairs.Build(question, candidate);

        Assert.Equal(first.InputIds, cached.InputIds);
        Assert.Equal(first.TokenTypeIds, cached.TokenTypeIds);
        Assert.Equal(first.SentenceStart, cached.SentenceStart);
        Assert.Equal(first.SentenceOffsets, cached.SentenceOffsets);
    }

    [Fact]
    public void Questions_asked_at_once_get_the_tokens_of_their_own_texts()
    {
        var cache = new TokenizationCache(ShippedModel.Tokenizer, capacity: 8);
        var texts = Enumerable.Range(0, 40).Select(i => $"Sentence number {i} mentions café {i * 7} times.").ToArray();
        var expected = texts.Select(ShippedModel.Tokenizer.Tokenize).ToArray();

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            var i = k % texts.Length;
            AssertSameTokens(expected[i], cache.Tokenize(texts[i]));
        });
    }
}
