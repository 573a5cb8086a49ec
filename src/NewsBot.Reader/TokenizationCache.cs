using System.Collections.Concurrent;

namespace NewsBot.Reader;

/// <summary>
/// Tokenized article texts by their exact text. A question's candidates share their title and often one another's
/// sentences (as the previous sentence), and questions about an article read its sentences again and again, so most
/// texts the reader sees were tokenized before. Keyed by the text itself, an entry can never be stale: after a reload a
/// changed sentence is a new key, and texts no longer asked about leave when the cache is full and starts over.
/// </summary>
internal sealed class TokenizationCache(ReaderTokenizer tokenizer, int capacity)
{
    /// <summary>About 1 MB per thousand sentences of ~35 tokens: a few megabytes at most.</summary>
    public const int DefaultCapacity = 8192;

    private ConcurrentDictionary<string, TokenizedText> _texts = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The text's tokens, as <see cref="ReaderTokenizer.Tokenize"/> gives them; shared, so never to be modified.</summary>
    public TokenizedText Tokenize(string text)
    {
        var texts = Volatile.Read(ref _texts);
        if (texts.TryGetValue(text, out var cached))
            return cached;
        var tokens = tokenizer.Tokenize(text);
        if (Interlocked.Increment(ref _count) > capacity)
        {
            // Full: start over rather than track use. Cheap, and the texts still asked about come back at once.
            Volatile.Write(ref _texts, texts = new ConcurrentDictionary<string, TokenizedText>(StringComparer.Ordinal));
            Volatile.Write(ref _count, 1);
        }

        texts.TryAdd(text, tokens);
        return tokens;
    }
}
