namespace NewsBot.Reader;

/// <summary>A short answer as sentence token positions (inclusive) and its probability.</summary>
internal readonly record struct TokenSpan(int First, int Last, double Probability);

/// <summary>
/// Reads the span head as trained: start and end are softmaxed over "no span" ([CLS], position 0) and the
/// sentence's tokens; the best span maximises start + end logits with start ≤ end and fewer than the
/// model's maximum tokens; its probability is the product of the two softmax values.
/// </summary>
internal static class SpanDecoder
{
    /// <param name="start">Start logits of one row.</param>
    /// <param name="end">End logits of one row.</param>
    /// <param name="sentenceStart">Row position of the sentence's first token.</param>
    /// <param name="sentenceTokens">How many sentence tokens the row holds.</param>
    /// <param name="maxSpanTokens">Longest span, in tokens.</param>
    /// <returns>Positions relative to the sentence's first token; null when the sentence has no tokens.</returns>
    public static TokenSpan? Best(ReadOnlySpan<float> start, ReadOnlySpan<float> end, int sentenceStart, int sentenceTokens, int maxSpanTokens)
    {
        if (sentenceTokens == 0)
            return null;
        var starts = start.Slice(sentenceStart, sentenceTokens);
        var ends = end.Slice(sentenceStart, sentenceTokens);
        int bestFirst = 0, bestLast = 0;
        var bestScore = float.NegativeInfinity;
        for (var s = 0; s < sentenceTokens; s++)
        {
            for (var e = s; e < sentenceTokens && e - s < maxSpanTokens; e++)
            {
                var score = starts[s] + ends[e];
                if (score > bestScore)
                    (bestScore, bestFirst, bestLast) = (score, s, e);
            }
        }

        return new TokenSpan(bestFirst, bestLast, Softmax(start[0], starts, bestFirst) * Softmax(end[0], ends, bestLast));
    }

    /// <summary>softmax over {<paramref name="none"/>} ∪ <paramref name="logits"/>, at <paramref name="index"/> of the latter.</summary>
    private static double Softmax(float none, ReadOnlySpan<float> logits, int index)
    {
        double max = none;
        foreach (var l in logits)
            max = Math.Max(max, l);
        var sum = Math.Exp(none - max);
        foreach (var l in logits)
            sum += Math.Exp(l - max);
        return Math.Exp(logits[index] - max) / sum;
    }
}
