using System.Collections.Concurrent;

namespace NewsBot.Retrieval;

/// <summary>
/// Okapi BM25 over short documents (sentences), kept as posting lists: a question touches only the
/// documents holding one of its terms. Immutable once built, so it is shared freely between concurrent questions.
/// </summary>
public sealed class LexicalIndex
{
    private readonly Dictionary<string, int> _termIds;
    private readonly string[] _terms;
    private readonly Posting[][] _postings;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly double _k1;
    private readonly double _b;

    // Score accumulators for Top, one per concurrent question, returned all zero.
    private readonly ConcurrentBag<float[]> _accumulators = [];

    private LexicalIndex(Dictionary<string, int> termIds, string[] terms, Posting[][] postings, int[] lengths, double k1, double b)
    {
        _termIds = termIds;
        _terms = terms;
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
        var builder = new Builder(k1, b);
        foreach (var document in documents)
            builder.Add(document);
        return builder.Build();
    }

    /// <summary>How many documents contain the term.</summary>
    public int DocumentFrequency(string term) => _termIds.TryGetValue(term, out var id) ? _postings[id].Length : 0;

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
            if (!_termIds.TryGetValue(term, out var id))
                continue;
            var idf = Idf(term);
            foreach (var (doc, tf) in _postings[id])
                scores[doc] += Contribution(idf, tf, doc);
        }
    }

    /// <summary>
    /// The <paramref name="count"/> best-scoring documents that <paramref name="include"/> admits, best first, with
    /// the same scores as <see cref="Score"/>; only the documents holding a query term are visited.
    /// </summary>
    public IReadOnlyList<(int Document, float Score)> Top(IReadOnlyCollection<string> queryTerms, int count, Func<int, bool> include)
    {
        if (!_accumulators.TryTake(out var scores))
            scores = new float[DocumentCount];
        var touched = new List<int>();
        try
        {
            foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
            {
                if (!_termIds.TryGetValue(term, out var id))
                    continue;
                var idf = Idf(term);
                foreach (var (doc, tf) in _postings[id])
                {
                    if (scores[doc] == 0)
                        touched.Add(doc);
                    scores[doc] += Contribution(idf, tf, doc);
                }
            }

            var best = new PriorityQueue<int, float>(count + 1);
            foreach (var doc in touched)
            {
                if (!include(doc))
                    continue;
                best.Enqueue(doc, scores[doc]);
                if (best.Count > count)
                    best.Dequeue();
            }

            var top = new (int Document, float Score)[best.Count];
            for (var i = top.Length - 1; i >= 0; i--)
            {
                var doc = best.Dequeue();
                top[i] = (doc, scores[doc]);
            }

            return top;
        }
        finally
        {
            foreach (var doc in touched)
                scores[doc] = 0;
            _accumulators.Add(scores);
        }
    }

    /// <summary>One document's BM25 score for the query terms.</summary>
    internal float ScoreOf(IReadOnlyCollection<string> queryTerms, int document, ReadOnlySpan<int> documentTermIds)
    {
        var score = 0f;
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_termIds.TryGetValue(term, out var id) || documentTermIds.BinarySearch(id) < 0)
                continue;
            var postings = _postings[id];
            var at = Array.BinarySearch(postings, new Posting(document, 0), PostingOrder.Instance);
            score += Contribution(Idf(term), postings[at].Frequency, document);
        }

        return score;
    }

    /// <summary>The id of a term, or -1 when no document holds it.</summary>
    internal int TermId(string term) => _termIds.TryGetValue(term, out var id) ? id : -1;

    internal string Term(int id) => _terms[id];

    private float Contribution(double idf, int tf, int doc)
    {
        var norm = _k1 * (1 - _b + (_b * _lengths[doc] / _averageLength));
        return (float)(idf * tf * (_k1 + 1) / (tf + norm));
    }

    private readonly record struct Posting(int Document, int Frequency);

    private sealed class PostingOrder : IComparer<Posting>
    {
        public static PostingOrder Instance { get; } = new();

        public int Compare(Posting x, Posting y) => x.Document.CompareTo(y.Document);
    }

    /// <summary>Adds documents one at a time, so a large archive never holds every document's term list at once.</summary>
    internal sealed class Builder(double k1 = 1.2, double b = 0.75)
    {
        private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
        private readonly List<string> _terms = [];
        private readonly List<List<Posting>> _postings = [];
        private readonly List<int> _lengths = [];
        private readonly Dictionary<int, int> _frequencies = [];

        /// <summary>Adds the next document and returns its distinct term ids, ascending.</summary>
        public int[] Add(IReadOnlyList<string> terms)
        {
            var doc = _lengths.Count;
            _lengths.Add(terms.Count);
            _frequencies.Clear();
            foreach (var term in terms)
            {
                if (!_termIds.TryGetValue(term, out var id))
                {
                    id = _terms.Count;
                    _termIds[term] = id;
                    _terms.Add(term);
                    _postings.Add([]);
                }

                _frequencies[id] = _frequencies.GetValueOrDefault(id) + 1;
            }

            var ids = new int[_frequencies.Count];
            var next = 0;
            foreach (var (id, tf) in _frequencies)
            {
                _postings[id].Add(new Posting(doc, tf));
                ids[next++] = id;
            }

            Array.Sort(ids);
            return ids;
        }

        public LexicalIndex Build() =>
            new(_termIds, [.. _terms], [.. _postings.Select(p => p.ToArray())], [.. _lengths], k1, b);
    }
}
