using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using NewsBot.Sources;

namespace NewsBot.Ingestion;

/// <summary>
/// Cuts an article into sentence-aligned windows of at most <see cref="ChunkingOptions.MaxTokens"/>
/// tokens of the embedding model, overlapping by whole sentences. A chunk may span paragraphs but never
/// a caption or credit between them, so <c>Text[Start..End]</c> of a chunk is quotable prose only.
/// A single sentence longer than the limit becomes a chunk of its own.
/// </summary>
public sealed class Chunker
{
    private readonly Tokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _overlap;
    private readonly int _specialTokens;

    public Chunker(Tokenizer tokenizer, IOptions<ChunkingOptions> options)
    {
        var value = options.Value;
        var validation = new ChunkingOptionsValidator().Validate(null, value);
        if (validation.Failed)
            throw new OptionsValidationException(nameof(ChunkingOptions), typeof(ChunkingOptions), validation.Failures);

        _tokenizer = tokenizer;
        _maxTokens = value.MaxTokens;
        _overlap = value.OverlapSentences;

        // BERT-style tokenizers count [CLS] and [SEP] once per input, not once per sentence.
        _specialTokens = tokenizer.CountTokens(string.Empty);
    }

    public int MaxTokens => _maxTokens;

    /// <summary>The settings that decide the chunks, for telling whether stored chunks were cut the same way.</summary>
    public string Settings => $"{_maxTokens}/{_overlap}";

    /// <summary>The article's chunks in order; empty when it has no sentences.</summary>
    public IReadOnlyList<Chunk> Split(Article article)
    {
        var sentences = article.Sentences;
        var chunks = new List<Chunk>();
        if (sentences.Count == 0)
            return chunks;

        var cost = new int[sentences.Count];
        for (var i = 0; i < cost.Length; i++)
            cost[i] = _tokenizer.CountTokens(sentences[i].Text) - _specialTokens;

        var groupStart = 0;
        for (var i = 1; i <= sentences.Count; i++)
        {
            if (i < sentences.Count && sentences[i].Paragraph - sentences[i - 1].Paragraph <= 1)
                continue;
            SplitGroup(article, cost, groupStart, i - 1, chunks);
            groupStart = i;
        }

        return chunks;
    }

    /// <summary>Greedy windows over sentences <paramref name="first"/>..<paramref name="last"/> (one unbroken run of prose).</summary>
    private void SplitGroup(Article article, int[] cost, int first, int last, List<Chunk> chunks)
    {
        var start = first;
        while (true)
        {
            var end = start;
            var tokens = _specialTokens + cost[start];
            while (end < last && tokens + cost[end + 1] <= _maxTokens)
                tokens += cost[++end];

            var chunk = Measure(article, chunks.Count, start, end);
            chunks.Add(chunk);
            if (chunk.LastSentence >= last)
                return;

            var next = Math.Max(chunk.LastSentence + 1 - _overlap, start + 1);

            // Keep only as much overlap as leaves room for at least one new sentence.
            while (next <= chunk.LastSentence && _specialTokens + Sum(cost, next, chunk.LastSentence + 2) > _maxTokens)
                next++;
            start = next;
        }
    }

    /// <summary>
    /// Counts the chunk's real text once more; should the tokenizer not be additive across sentences,
    /// sentences come off the end until it fits.
    /// </summary>
    private Chunk Measure(Article article, int index, int first, int last)
    {
        while (true)
        {
            var start = article.Sentences[first].Start;
            var end = article.Sentences[last].End;
            var tokens = _tokenizer.CountTokens(article.Text.AsSpan(start, end - start));
            if (tokens <= _maxTokens || last == first)
                return new Chunk(index, first, last, start, end, tokens);
            last--;
        }
    }

    private static int Sum(int[] cost, int from, int to)
    {
        var sum = 0;
        for (var i = from; i < to; i++)
            sum += cost[i];
        return sum;
    }
}
