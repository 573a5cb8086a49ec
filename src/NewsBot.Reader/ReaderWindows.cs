using NewsBot.Answering;

namespace NewsBot.Reader;

/// <summary>A sentence inside a window: which sentence of the paragraph, where its tokens sit in the row, their characters.</summary>
internal sealed record WindowSentence(int Index, int Position, (int Start, int End)[] Offsets)
{
    public int Count => Offsets.Length;
}

/// <summary>One model input row: <c>[CLS] question [SEP] consecutive sentences of one paragraph [SEP] title [SEP]</c>.</summary>
internal sealed record ReaderWindow(int[] InputIds, int[] TokenTypeIds, IReadOnlyList<WindowSentence> Sentences)
{
    public int Length => InputIds.Length;

    public WindowSentence? Find(int index) => Sentences.FirstOrDefault(s => s.Index == index);
}

/// <summary>Which window reads each candidate: <c>Reading[i]</c> indexes <c>Windows</c>, or is -1 when none was left for it.</summary>
internal sealed record WindowPlan(IReadOnlyList<ReaderWindow> Windows, int[] Reading);

/// <summary>
/// Builds the window reader's rows exactly as the training pipeline does (training/reader/windows.py): a window grows
/// from a focus sentence by whole sentences, alternately before and after it, while they fit in the model's window
/// tokens. Candidates are taken in retrieval's order; one inside an already planned window is read there, otherwise a
/// window is planned around it, up to the model's maximum.
/// </summary>
internal sealed class ReaderWindows(ReaderTokenizer tokenizer, ReaderModelSettings settings, int cacheCapacity = TokenizationCache.DefaultCapacity)
{
    private readonly TokenizationCache _articleTexts = new(tokenizer, cacheCapacity);

    public WindowPlan Plan(int[] questionIds, IReadOnlyList<ReaderCandidate> candidates)
    {
        var windows = new List<ReaderWindow>();
        var spans = new List<(string Key, int First, int Last)>();
        var reading = new int[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            var candidate = candidates[c];
            var k = spans.FindIndex(w => w.Key == candidate.ParagraphKey && w.First <= candidate.Index && candidate.Index <= w.Last);
            if (k < 0 && windows.Count < settings.MaxWindows)
            {
                var (first, last) = Around(candidate.Paragraph, candidate.Index);
                spans.Add((candidate.ParagraphKey, first, last));
                windows.Add(Build(questionIds, candidate.Title, candidate.Paragraph, first, last));
                k = windows.Count - 1;
            }

            reading[c] = k;
        }

        return new WindowPlan(windows, reading);
    }

    /// <summary>The sentences [first, last] of the window around <paramref name="focus"/>.</summary>
    internal (int First, int Last) Around(IReadOnlyList<string> paragraph, int focus)
    {
        var used = Tokens(paragraph[focus]);
        var (first, last) = (focus, focus);
        for (var grew = true; grew;)
        {
            grew = false;
            if (first > 0 && used + Tokens(paragraph[first - 1]) <= settings.WindowTokens)
            {
                used += Tokens(paragraph[--first]);
                grew = true;
            }

            if (last + 1 < paragraph.Count && used + Tokens(paragraph[last + 1]) <= settings.WindowTokens)
            {
                used += Tokens(paragraph[++last]);
                grew = true;
            }
        }

        return (first, last);
    }

    internal ReaderWindow Build(int[] questionIds, string title, IReadOnlyList<string> paragraph, int first, int last)
    {
        var ids = new List<int>(questionIds.Length + settings.WindowTokens + settings.MaxTitleTokens + 4) { tokenizer.ClassificationId };
        ids.AddRange(questionIds);
        ids.Add(tokenizer.SeparatorId);
        var textStart = ids.Count;
        var sentences = new List<WindowSentence>(last - first + 1);
        for (var i = first; i <= last; i++)
        {
            var sentence = _articleTexts.Tokenize(paragraph[i]);
            var count = Math.Min(sentence.Count, settings.MaxSentenceTokens);
            sentences.Add(new WindowSentence(i, ids.Count, sentence.Offsets[..count]));
            ids.AddRange(sentence.Ids.AsSpan(0, count));
        }

        ids.Add(tokenizer.SeparatorId);
        var titleIds = _articleTexts.Tokenize(title).Ids;
        ids.AddRange(titleIds.AsSpan(0, Math.Min(titleIds.Length, settings.MaxTitleTokens)));
        ids.Add(tokenizer.SeparatorId);
        var types = new int[ids.Count];
        Array.Fill(types, 1, textStart, ids.Count - textStart);
        return new ReaderWindow([.. ids], types, sentences);
    }

    private int Tokens(string sentence) => Math.Min(_articleTexts.Tokenize(sentence).Count, settings.MaxSentenceTokens);
}
