namespace NewsBot.Reader;

/// <summary>A short answer as sentence token positions (inclusive) and its probability.</summary>
internal readonly record struct TokenSpan(int First, int Last, double Probability);

/// <summary>
/// Reads the span head as trained: start and end are softmaxed over "no span" ([CLS], position 0) and the text's tokens
/// (one sentence for a pair row, all the window's sentences for a window row); the best span inside a sentence maximises
/// start + end logits with start ≤ end and fewer than the model's maximum tokens; its probability is the product of the
/// two softmax values.
/// </summary>
internal static class SpanDecoder
{
    /// <param name="start">Start logits of one row.</param>
    /// <param name="end">End logits of one row.</param>
    /// <param name="sentenceStart">Row position of the sentence's first token.</param>
    /// <param name="sentenceTokens">How many sentence tokens the row holds.</param>
    /// <param name="maxSpanTokens">Longest span, in tokens.</param>
    /// <param name="normalizers">log Σ exp of the start and end logits over [CLS] and the row's text tokens; null: the row's text is this sentence.</param>
    /// <returns>Positions relative to the sentence's first token; null when the sentence has no tokens.</returns>
    public static TokenSpan? Best(
        ReadOnlySpan<float> start, ReadOnlySpan<float> end, int sentenceStart, int sentenceTokens, int maxSpanTokens, (double Start, double End)? normalizers = null)
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

        Range[] text = [new(sentenceStart, sentenceStart + sentenceTokens)];
        var (startNorm, endNorm) = normalizers ?? (LogSumExp(start, text), LogSumExp(end, text));
        return new TokenSpan(bestFirst, bestLast, Math.Exp(starts[bestFirst] - startNorm) * Math.Exp(ends[bestLast] - endNorm));
    }

    /// <summary>log Σ exp over [CLS] (position 0) and the positions in <paramref name="text"/>.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits, ReadOnlySpan<Range> text)
    {
        double max = logits[0];
        foreach (var range in text)
        {
            foreach (var l in logits[range])
                max = Math.Max(max, l);
        }

        var sum = Math.Exp(logits[0] - max);
        foreach (var range in text)
        {
            foreach (var l in logits[range])
                sum += Math.Exp(l - max);
        }

        return max + Math.Log(sum);
    }
}
