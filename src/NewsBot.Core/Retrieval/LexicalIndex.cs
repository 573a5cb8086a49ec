namespace NewsBot.Retrieval;

/// <summary>
/// Okapi BM25 over short documents (sentences). Immutable once built, so it is shared freely
/// between concurrent questions.
/// </summary>
public sealed class LexicalIndex
{
    private readonly Dictionary<string, Posting[]> _postings;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly double _k1;
    private readonly double _b;

    private LexicalIndex(Dictionary<string, Posting[]> postings, int[] lengths, double k1, double b)
    {
        _postings = postings;
        _lengths = lengths;
        _averageLength = lengths.Length == 0 ? 1 : Math.Max(1, lengths.Average());
        _k1 = k1;
        _b = b;
    }

    public int DocumentCount => _lengths.Length;

    /// <param name="documents">Each document's terms, as produced by <see cref="TermAnalyzer"/>.</param>
    public static LexicalIndex Build(IReadOnlyList<IReadOnlyList<string>> documents, double k1 = 1.2, double b = 0.75)
    {
        var lists = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
        var lengths = new int[documents.Count];
        for (var doc = 0; doc < documents.Count; doc++)
        {
            lengths[doc] = documents[doc].Count;
            foreach (var group in documents[doc].GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!lists.TryGetValue(group.Key, out var list))
                    lists[group.Key] = list = [];
                list.Add(new Posting(doc, group.Count()));
            }
        }

        return new LexicalIndex(lists.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), lengths, k1, b);
    }

    /// <summary>How many documents contain the term.</summary>
    public int DocumentFrequency(string term) => _postings.TryGetValue(term, out var p) ? p.Length : 0;

    /// <summary>
    /// BM25's inverse document frequency; a term no document contains gets a value above every seen term,
    /// since its absence says the most.
    /// </summary>
    public double Idf(string term)
    {
        var df = DocumentFrequency(term);
        return Math.Log(1 + ((DocumentCount - df + 0.5) / (df + 0.5)));
    }

    /// <summary>Adds each document's BM25 score for the query terms into <paramref name="scores"/>.</summary>
    public void Score(IReadOnlyCollection<string> queryTerms, Span<float> scores)
    {
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings))
                continue;
            var idf = Idf(term);
            foreach (var (doc, tf) in postings)
            {
                var norm = _k1 * (1 - _b + (_b * _lengths[doc] / _averageLength));
                scores[doc] += (float)(idf * tf * (_k1 + 1) / (tf + norm));
            }
        }
    }

    private readonly record struct Posting(int Document, int Frequency);
}
