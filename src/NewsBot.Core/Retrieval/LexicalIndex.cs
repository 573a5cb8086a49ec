using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NewsBot.Retrieval;

/// <summary>
/// Okapi BM25 over short documents (sentences), kept as posting lists: a question touches only the
/// documents holding one of its terms. Immutable once built, so it is shared freely between concurrent questions.
/// </summary>
/// <remarks>
/// Everything lives in a few flat arrays (a million sentences hold tens of millions of postings): the postings of
/// every term one after another, and each document's distinct term ids one document after another.
/// </remarks>
public sealed class LexicalIndex
{
    private readonly Dictionary<string, int> _termIds;
    private readonly string[] _terms;
    private readonly int[] _postingDocuments;
    private readonly byte[] _postingFrequencies;
    private readonly int[] _postingStarts;
    private readonly int[] _documentTermIds;
    private readonly int[] _documentStarts;

    // BM25's length normalisation of each document, k1 · (1 − b + b · length / average length), worked out once.
    private readonly float[] _norms;
    private readonly double _k1;

    // Score accumulators for Top, one per concurrent question, returned all zero.
    private readonly ConcurrentBag<float[]> _accumulators = [];

    private LexicalIndex(
        Dictionary<string, int> termIds, string[] terms, int[] postingDocuments, byte[] postingFrequencies, int[] postingStarts,
        int[] documentTermIds, int[] documentStarts, List<int> lengths, double k1, double b)
    {
        _termIds = termIds;
        _terms = terms;
        _postingDocuments = postingDocuments;
        _postingFrequencies = postingFrequencies;
        _postingStarts = postingStarts;
        _documentTermIds = documentTermIds;
        _documentStarts = documentStarts;
        var averageLength = lengths.Count == 0 ? 1 : Math.Max(1, lengths.Average());
        _norms = new float[lengths.Count];
        for (var doc = 0; doc < _norms.Length; doc++)
            _norms[doc] = (float)(k1 * (1 - b + (b * lengths[doc] / averageLength)));
        _k1 = k1;
    }

    public int DocumentCount => _norms.Length;

    /// <param name="documents">Each document's terms, as produced by <see cref="TermAnalyzer"/>.</param>
    public static LexicalIndex Build(IReadOnlyList<IReadOnlyList<string>> documents, double k1 = 1.2, double b = 0.75)
    {
        var builder = new Builder(k1, b);
        foreach (var document in documents)
            builder.Add(document);
        return builder.Build();
    }

    /// <summary>How many documents contain the term.</summary>
    public int DocumentFrequency(string term) => _termIds.TryGetValue(term, out var id) ? _postingStarts[id + 1] - _postingStarts[id] : 0;

    /// <summary>
    /// BM25's inverse document frequency; a term no document contains gets a value above every seen term,
    /// since its absence says the most.
    /// </summary>
    public double Idf(string term)
    {
        var df = DocumentFrequency(term);
        return Math.Log(1 + ((DocumentCount - df + 0.5) / (df + 0.5)));
    }

    /// <summary>
    /// The term of this index a term no document holds was most likely meant as: the commonest one a single slip
    /// away (an inserted, dropped, wrong or swapped letter; two for a term of eight letters or more). Null when the
    /// term is held, is shorter than five letters or not all letters (a year or a code is never "corrected"), or
    /// nothing is that close.
    /// </summary>
    /// <remarks>
    /// A scan of the whole vocabulary, run only for unknown terms; each slip changes at most two of the letters a term
    /// uses, so comparing the sets of letters first (<see cref="LetterSet"/>) spares the full comparison for nearly all.
    /// </remarks>
    public string? NearestSpelling(string term)
    {
        if (term.Length < EditDistance.MinTypoLength || _termIds.ContainsKey(term) || !term.All(char.IsLetter))
            return null;
        var bound = EditDistance.TypoBound(term.Length);
        var letters = LetterSet(term);
        var letterSets = LazyInitializer.EnsureInitialized(ref _letterSets, () => [.. _terms.Select(LetterSet)]);
        string? nearest = null;
        var (nearestDistance, nearestFrequency) = (bound + 1, 0);
        for (var id = 0; id < _terms.Length; id++)
        {
            var candidate = _terms[id];
            if (Math.Abs(candidate.Length - term.Length) > bound || BitOperations.PopCount(letterSets[id] ^ letters) > 2 * bound)
                continue;
            var distance = EditDistance.Within(term, candidate, Math.Min(bound, nearestDistance));
            if (distance > bound || distance > nearestDistance)
                continue;
            var frequency = _postingStarts[id + 1] - _postingStarts[id];
            if (distance < nearestDistance || frequency > nearestFrequency
                || (frequency == nearestFrequency && string.CompareOrdinal(candidate, nearest) < 0))
                (nearest, nearestDistance, nearestFrequency) = (candidate, distance, frequency);
        }

        return nearest;
    }

    // Built on the first respelling, not at load: most snapshots never need it.
    private uint[]? _letterSets;

    /// <summary>Which of 32 letter classes (a–z, then the rest folded together by code) the term uses, one bit each.</summary>
    private static uint LetterSet(string term)
    {
        var set = 0u;
        foreach (var c in term)
            set |= 1u << (c is >= 'a' and <= 'z' ? c - 'a' : 26 + (c % 6));
        return set;
    }

    /// <summary>Adds each document's BM25 score for the query terms into <paramref name="scores"/>.</summary>
    public void Score(IReadOnlyCollection<string> queryTerms, Span<float> scores)
    {
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_termIds.TryGetValue(term, out var id))
                continue;
            var idf = Idf(term);
            var (documents, frequencies) = PostingsOf(id);
            for (var p = 0; p < documents.Length; p++)
                scores[documents[p]] += Contribution(idf, frequencies[p], documents[p]);
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
                var (documents, frequencies) = PostingsOf(id);
                for (var p = 0; p < documents.Length; p++)
                {
                    var doc = documents[p];
                    if (scores[doc] == 0)
                        touched.Add(doc);
                    scores[doc] += Contribution(idf, frequencies[p], doc);
                }
            }

            // A million-sentence archive touches hundreds of thousands of documents: most fall below the kept minimum at once.
            var best = new PriorityQueue<int, float>(count + 1);
            foreach (var doc in touched)
            {
                var score = scores[doc];
                if (best.Count == count && best.TryPeek(out _, out var least) && score <= least)
                    continue;
                if (!include(doc))
                    continue;
                best.Enqueue(doc, score);
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
    internal float ScoreOf(IReadOnlyCollection<string> queryTerms, int document)
    {
        var documentTermIds = TermIdsOf(document);
        var score = 0f;
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_termIds.TryGetValue(term, out var id) || documentTermIds.BinarySearch(id) < 0)
                continue;
            // A term's postings are in ascending order of document, each document once.
            var (documents, frequencies) = PostingsOf(id);
            score += Contribution(Idf(term), frequencies[documents.BinarySearch(document)], document);
        }

        return score;
    }

    /// <summary>A document's distinct term ids, ascending.</summary>
    internal ReadOnlySpan<int> TermIdsOf(int document) =>
        _documentTermIds.AsSpan(_documentStarts[document], _documentStarts[document + 1] - _documentStarts[document]);

    /// <summary>The documents holding a term, ascending; empty when none does.</summary>
    internal ReadOnlySpan<int> DocumentsHolding(string term) =>
        _termIds.TryGetValue(term, out var id) ? PostingsOf(id).Documents : [];

    /// <summary>The id of a term, or -1 when no document holds it.</summary>
    internal int TermId(string term) => _termIds.TryGetValue(term, out var id) ? id : -1;

    internal string Term(int id) => _terms[id];

    private Postings PostingsOf(int term)
    {
        var (start, length) = (_postingStarts[term], _postingStarts[term + 1] - _postingStarts[term]);
        return new Postings(_postingDocuments.AsSpan(start, length), _postingFrequencies.AsSpan(start, length));
    }

    private float Contribution(double idf, int tf, int doc) => (float)(idf * tf * (_k1 + 1) / (tf + _norms[doc]));

    /// <summary>The documents holding a term, ascending, and how often each holds it: kept apart, 5 bytes a posting rather than 8.</summary>
    private readonly ref struct Postings(ReadOnlySpan<int> documents, ReadOnlySpan<byte> frequencies)
    {
        public ReadOnlySpan<int> Documents { get; } = documents;

        public ReadOnlySpan<byte> Frequencies { get; } = frequencies;

        public void Deconstruct(out ReadOnlySpan<int> documents, out ReadOnlySpan<byte> frequencies)
        {
            documents = Documents;
            frequencies = Frequencies;
        }
    }

    /// <summary>
    /// Adds documents one at a time, keeping only each document's distinct term ids and their counts; the posting
    /// lists are laid out once, at <see cref="Build"/>, so nothing grows by copying.
    /// </summary>
    internal sealed class Builder
    {
        private readonly double _k1;
        private readonly double _b;
        private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _termIdsBySpan;
        private readonly List<string> _terms = [];
        private readonly SegmentedList<int> _documentTermIds = new();
        private readonly SegmentedList<byte> _documentFrequencies = new();
        private readonly List<int> _documentStarts = [0];
        private readonly List<int> _lengths = [];
        private readonly List<int> _ids = [];

        public Builder(double k1 = 1.2, double b = 0.75)
        {
            (_k1, _b) = (k1, b);
            _termIdsBySpan = _termIds.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int DocumentCount => _lengths.Count;

        /// <summary>Adds the next document.</summary>
        public void Add(IReadOnlyList<string> terms)
        {
            _ids.Clear();
            foreach (var term in terms)
                _ids.Add(IdOf(term));
            AddDocument();
        }

        /// <summary>Adds the next document, given as its terms separated by single spaces.</summary>
        public void Add(ReadOnlySpan<char> terms)
        {
            _ids.Clear();
            foreach (var range in terms.Split(' '))
            {
                if (range.End.Value > range.Start.Value)
                    _ids.Add(IdOf(terms[range]));
            }

            AddDocument();
        }

        /// <summary>The term as a string, shared with the index's own copy when a document holds it.</summary>
        public string Intern(ReadOnlySpan<char> term) => _termIdsBySpan.TryGetValue(term, out var id) ? _terms[id] : term.ToString();

        public LexicalIndex Build()
        {
            var documentTermIds = _documentTermIds.ToArray();
            var frequencies = _documentFrequencies.ToArray();
            var postingStarts = new int[_terms.Count + 1];
            foreach (var id in documentTermIds)
                postingStarts[id + 1]++;
            for (var id = 0; id < _terms.Count; id++)
                postingStarts[id + 1] += postingStarts[id];

            // Documents are visited in order, so every term's postings come out sorted by document.
            var (postingDocuments, postingFrequencies) = (new int[documentTermIds.Length], new byte[documentTermIds.Length]);
            var next = postingStarts[..^1];
            for (var doc = 0; doc < _lengths.Count; doc++)
            {
                for (var k = _documentStarts[doc]; k < _documentStarts[doc + 1]; k++)
                {
                    var at = next[documentTermIds[k]]++;
                    (postingDocuments[at], postingFrequencies[at]) = (doc, frequencies[k]);
                }
            }

            return new LexicalIndex(
                _termIds, [.. _terms], postingDocuments, postingFrequencies, postingStarts, documentTermIds, [.. _documentStarts], _lengths, _k1, _b);
        }

        private int IdOf(ReadOnlySpan<char> term)
        {
            if (_termIdsBySpan.TryGetValue(term, out var id))
                return id;
            id = _terms.Count;
            var text = term.ToString();
            _termIds[text] = id;
            _terms.Add(text);
            return id;
        }

        /// <summary>Records the document whose term ids (with repeats) are in <see cref="_ids"/>: each distinct id once, with its count.</summary>
        private void AddDocument()
        {
            _lengths.Add(_ids.Count);
            var ids = CollectionsMarshal.AsSpan(_ids);
            ids.Sort();
            for (var i = 0; i < ids.Length;)
            {
                var end = i + 1;
                while (end < ids.Length && ids[end] == ids[i])
                    end++;
                _documentTermIds.Add(ids[i]);
                // A sentence repeating one term 255 times scores as if it stopped there: BM25 has long saturated by then.
                _documentFrequencies.Add((byte)Math.Min(byte.MaxValue, end - i));
                i = end;
            }

            _documentStarts.Add(checked((int)_documentTermIds.Count));
        }
    }
}
