using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>
/// The words a reader's vocabulary holds whole, most frequent first: what tells a typo ("cutomers") from a word the reader
/// knows, and the word a typo most likely stands for.
/// </summary>
public sealed class ReaderWords
{
    // Each word's place in the vocabulary: the lower, the more frequent.
    private readonly Dictionary<string, int> _rank = new(StringComparer.Ordinal);
    private readonly Dictionary<(char First, int Length), List<string>> _byStartAndLength = [];

    /// <param name="mostFrequentFirst">The vocabulary's entries; word pieces and other entries that are no lowercase word are skipped.</param>
    public ReaderWords(IEnumerable<string> mostFrequentFirst)
    {
        foreach (var entry in mostFrequentFirst)
        {
            if (entry.Length == 0 || !entry.All(char.IsLetter) || entry.Any(char.IsUpper) || !_rank.TryAdd(entry, _rank.Count))
                continue;
            var key = (entry[0], entry.Length);
            if (!_byStartAndLength.TryGetValue(key, out var words))
                _byStartAndLength[key] = words = [];
            words.Add(entry);
        }
    }

    /// <summary>No words: every word is unknown, and none is near another.</summary>
    public static ReaderWords None { get; } = new([]);

    public bool Knows(string word) => _rank.ContainsKey(word.ToLowerInvariant());

    /// <summary>
    /// The known word nearest to <paramref name="word"/> within <paramref name="maxEdits"/> (a swap of neighbours is one),
    /// the most frequent of equals, lower-case; null when none. It starts with the same letter: typos seldom hit the first,
    /// and words the vocabulary lacks ("vaping", "covid") are often one edit from a word with another first letter.
    /// </summary>
    public string? Near(string word, int maxEdits)
    {
        var lower = word.ToLowerInvariant();
        if (lower.Length == 0)
            return null;
        string? nearest = null;
        var nearestDistance = maxEdits + 1;
        for (var length = lower.Length - maxEdits; length <= lower.Length + maxEdits; length++)
        {
            if (!_byStartAndLength.TryGetValue((lower[0], length), out var words))
                continue;
            foreach (var known in words)
            {
                var distance = EditDistance.Within(lower, known, nearestDistance);
                if (distance < nearestDistance || (distance == nearestDistance && distance <= maxEdits && _rank[known] < _rank[nearest!]))
                    (nearest, nearestDistance) = (known, distance);
            }
        }

        return nearest;
    }
}
