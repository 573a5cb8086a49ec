using NewsBot.Answering;

namespace NewsBot.Reader;

/// <summary>One model input row: <c>[CLS] question [SEP] sentence [SEP] title + end of previous sentence [SEP]</c>.</summary>
/// <param name="SentenceStart">Position of the sentence's first token.</param>
/// <param name="SentenceOffsets">Per sentence token (as many as were kept), its characters in the sentence.</param>
internal sealed record ReaderPair(int[] InputIds, int[] TokenTypeIds, int SentenceStart, (int Start, int End)[] SentenceOffsets)
{
    public int Length => InputIds.Length;
}

/// <summary>
/// Builds the reader's input rows exactly as the training pipeline does (training/reader/pairs.py). Article texts
/// (sentence, previous sentence, title) are tokenized once and cached; questions are tokenized each time.
/// </summary>
internal sealed class ReaderPairs(ReaderTokenizer tokenizer, ReaderModelSettings settings, int cacheCapacity = TokenizationCache.DefaultCapacity)
{
    private readonly TokenizationCache _articleTexts = new(tokenizer, cacheCapacity);

    public ReaderTokenizer Tokenizer => tokenizer;

    /// <summary>The question's tokens, cut to the model's limit; computed once for all candidates.</summary>
    public int[] Question(string question) => Take(tokenizer.Tokenize(question).Ids, settings.MaxQuestionTokens);

    public ReaderPair Build(int[] questionIds, ReaderCandidate candidate)
    {
        var sentence = _articleTexts.Tokenize(candidate.Sentence);
        var sentenceCount = Math.Min(sentence.Count, settings.MaxSentenceTokens);
        var title = Take(_articleTexts.Tokenize(candidate.Title).Ids, settings.MaxTitleTokens);
        var previous = candidate.Previous.Length == 0 ? [] : _articleTexts.Tokenize(candidate.Previous).Ids;
        // The previous sentence keeps its last tokens: its end leads into the candidate.
        var room = settings.MaxContextTokens - title.Length;
        var tail = room > 0 ? previous[Math.Max(0, previous.Length - room)..] : [];

        var ids = new List<int>(questionIds.Length + sentenceCount + title.Length + tail.Length + 4) { tokenizer.ClassificationId };
        ids.AddRange(questionIds);
        ids.Add(tokenizer.SeparatorId);
        var sentenceStart = ids.Count;
        ids.AddRange(sentence.Ids.AsSpan(0, sentenceCount));
        ids.Add(tokenizer.SeparatorId);
        ids.AddRange(title);
        ids.AddRange(tail);
        ids.Add(tokenizer.SeparatorId);

        var types = new int[ids.Count];
        Array.Fill(types, 1, sentenceStart, ids.Count - sentenceStart);
        return new ReaderPair([.. ids], types, sentenceStart, sentence.Offsets[..sentenceCount]);
    }

    private static int[] Take(int[] ids, int max) => ids.Length <= max ? ids : ids[..max];
}
