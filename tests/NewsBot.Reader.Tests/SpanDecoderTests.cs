namespace NewsBot.Reader.Tests;

public class SpanDecoderTests
{
    // Row: [CLS] q q [SEP] s0 s1 s2 s3 [SEP] t [SEP]; the sentence starts at 4 and has 4 tokens.
    private const int SentenceStart = 4;
    private const int SentenceTokens = 4;

    private static float[] Logits(params (int Position, float Value)[] peaks)
    {
        var logits = new float[11];
        Array.Fill(logits, -5f);
        foreach (var (position, value) in peaks)
            logits[position] = value;
        return logits;
    }

    [Fact]
    public void The_best_span_lies_in_the_sentence_and_ends_at_or_after_its_start()
    {
        // Higher logits outside the sentence (question, title) and an end before the start are not spans.
        var start = Logits((1, 9f), (6, 4f), (9, 9f));
        var end = Logits((2, 9f), (5, 6f), (7, 4f), (9, 9f));

        var span = SpanDecoder.Best(start, end, SentenceStart, SentenceTokens, maxSpanTokens: 30)!.Value;

        Assert.Equal((2, 3), (span.First, span.Last));
    }

    [Fact]
    public void A_span_is_no_longer_than_the_models_limit()
    {
        var start = Logits((4, 5f));
        var end = Logits((7, 5f), (5, 3f));

        var span = SpanDecoder.Best(start, end, SentenceStart, SentenceTokens, maxSpanTokens: 2)!.Value;

        Assert.Equal((0, 1), (span.First, span.Last));
    }

    [Fact]
    public void The_probability_weighs_the_span_against_no_span_and_the_other_sentence_tokens()
    {
        var confident = SpanDecoder.Best(Logits((5, 10f)), Logits((6, 10f)), SentenceStart, SentenceTokens, 30)!.Value;
        var noSpan = SpanDecoder.Best(Logits((0, 10f), (5, 2f)), Logits((0, 10f), (6, 2f)), SentenceStart, SentenceTokens, 30)!.Value;

        Assert.Equal((1, 2), (confident.First, confident.Last));
        Assert.InRange(confident.Probability, 0.99, 1.0);
        Assert.Equal((1, 2), (noSpan.First, noSpan.Last));
        Assert.InRange(noSpan.Probability, 0.0, 0.001);
        // By hand: softmax over {CLS} ∪ sentence of start, times that of end.
        var expected = Math.Pow(Math.Exp(2) / (Math.Exp(10) + Math.Exp(2) + (3 * Math.Exp(-5))), 2);
        Assert.Equal(expected, noSpan.Probability, 1e-9);
    }

    [Fact]
    public void An_empty_sentence_has_no_span() =>
        Assert.Null(SpanDecoder.Best(Logits(), Logits(), SentenceStart, 0, 30));
}
