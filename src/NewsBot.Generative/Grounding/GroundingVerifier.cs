using System.Globalization;
using System.Text;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Generative.Grounding;

/// <summary>What survived verification of a model reply.</summary>
/// <param name="Text">The wording with each quote replaced by the source's exact text and markers renumbered.</param>
/// <param name="Citations">Numbered from 1 in order of first use; every quote equals the article text at its offsets.</param>
/// <param name="RemovedQuotes">Quotes not found in any passage shown to the model (their sentences were dropped).</param>
/// <param name="RemovedCitations">[n] markers pointing at no passage, or at a passage whose article changed.</param>
internal sealed record GroundedText(
    string Text,
    IReadOnlyList<Citation> Citations,
    int RemovedQuotes,
    int RemovedCitations)
{
    /// <summary>A short remark for the reader about what was removed, or null when nothing was.</summary>
    public string? Note
    {
        get
        {
            var parts = new List<string>();
            if (RemovedQuotes > 0)
            {
                parts.Add(RemovedQuotes == 1
                    ? "A quote the model gave could not be found in the article and was removed."
                    : string.Create(CultureInfo.InvariantCulture, $"{RemovedQuotes} quotes the model gave could not be found in the article and were removed."));
            }

            if (RemovedCitations > 0)
                parts.Add("Citations to passages that do not exist were removed.");
            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }
}

/// <summary>
/// Checks a parsed model reply against the passages it was shown: every quoted span must occur in a passage
/// (whitespace and quote marks folded, via <see cref="QuoteLocator"/>) and in the article at the same offsets;
/// the displayed quote becomes the article's exact text. Sentences with a quote that cannot be found are
/// dropped, as are markers that point at no passage. A bare [n] (wording without a quote) is cited with the
/// sentence of passage n that shares most words with the wording.
/// </summary>
public sealed class GroundingVerifier(IArticleCatalog catalog)
{
    internal GroundedText Verify(ModelDraft draft, PassageLedger ledger, bool requireCitationPerSentence)
    {
        var run = new Run(catalog, ledger);
        var output = new StringBuilder();
        foreach (var sentence in draft.Sentences)
        {
            var rendered = run.Render(sentence, requireCitationPerSentence);
            if (rendered is null)
                continue;

            if (output.Length > 0)
                output.Append(sentence.StartsParagraph ? "\n" : " ");
            output.Append(rendered);
        }

        return new GroundedText(output.ToString(), run.Citations, run.RemovedQuotes, run.RemovedCitations);
    }

    private sealed class Run(IArticleCatalog catalog, PassageLedger ledger)
    {
        private readonly Dictionary<(string Source, int Start, int End), Citation> _byKey = [];
        private readonly Dictionary<int, Article?> _checkedPassages = [];

        public List<Citation> Citations { get; } = [];

        public int RemovedQuotes { get; private set; }

        public int RemovedCitations { get; private set; }

        /// <summary>The sentence with verified quotes and renumbered markers, or null when it must be dropped.</summary>
        public string? Render(DraftSentence sentence, bool requireCitation)
        {
            var segments = sentence.Segments;

            // Each quote is cited by the first marker after it in the sentence.
            var markerOfQuote = new Dictionary<int, int>();
            for (var i = 0; i < segments.Count; i++)
            {
                if (segments[i].Kind != SegmentKind.Quote)
                    continue;
                for (var j = i + 1; j < segments.Count; j++)
                {
                    if (segments[j].Kind == SegmentKind.Marker)
                    {
                        markerOfQuote[i] = j;
                        break;
                    }
                }
            }

            var quoteCitations = new Dictionary<int, Citation>();
            var unverified = 0;
            foreach (var (i, segment) in segments.Index())
            {
                if (segment.Kind != SegmentKind.Quote)
                    continue;
                var cited = markerOfQuote.TryGetValue(i, out var m) ? segments[m].Numbers : [];
                var citation = LocateQuote(segment.Text, cited);
                if (citation is null)
                    unverified++;
                else
                    quoteCitations[i] = citation;
            }

            if (unverified > 0)
            {
                RemovedQuotes += unverified;
                CountMissingMarkers(segments);
                return null;
            }

            var wording = string.Concat(segments.Where(s => s.Kind != SegmentKind.Marker).Select(s => s.Text));
            var text = new StringBuilder();
            var cites = 0;
            foreach (var (i, segment) in segments.Index())
            {
                switch (segment.Kind)
                {
                    case SegmentKind.Text:
                        text.Append(segment.Text);
                        break;

                    case SegmentKind.Quote:
                        var quoted = quoteCitations[i];
                        text.Append(QuoteMarks.Wrap(quoted.Quote));
                        if (!markerOfQuote.ContainsKey(i))
                        {
                            text.Append(' ').Append(Marker(Number(quoted)));
                            cites++;
                        }

                        break;

                    case SegmentKind.Marker:
                        var fromQuotes = quoteCitations.Where(q => markerOfQuote.TryGetValue(q.Key, out var mi) && mi == i).Select(q => q.Value).ToList();
                        var numbers = new List<int>();
                        if (fromQuotes.Count > 0)
                        {
                            numbers.AddRange(fromQuotes.Select(Number));
                            RemovedCitations += segment.Numbers.Count(n => ledger.Find(n) is null);
                        }
                        else
                        {
                            foreach (var n in segment.Numbers)
                            {
                                var bare = CiteBare(n, wording);
                                if (bare is null)
                                    RemovedCitations++;
                                else
                                    numbers.Add(Number(bare));
                            }
                        }

                        numbers = [.. numbers.Distinct()];
                        if (numbers.Count == 0)
                        {
                            TrimTrailingSpace(text);
                            break;
                        }

                        text.Append(string.Concat(numbers.Select(Marker)));
                        cites += numbers.Count;
                        break;
                }
            }

            var result = text.ToString().Trim();
            if (result.Length == 0 || (requireCitation && cites == 0))
                return null;
            return result;
        }

        private void CountMissingMarkers(IReadOnlyList<Segment> segments) =>
            RemovedCitations += segments.Where(s => s.Kind == SegmentKind.Marker).Sum(s => s.Numbers.Count(n => ledger.Find(n) is null));

        /// <summary>Finds the quote in the passages it cites, else in any passage shown (the model mis-numbered it).</summary>
        private Citation? LocateQuote(string quote, IReadOnlyList<int> cited)
        {
            var order = cited.Where(n => ledger.Find(n) is not null)
                .Concat(Enumerable.Range(1, ledger.Passages.Count))
                .Distinct();
            foreach (var number in order)
            {
                var passage = ledger.Find(number)!;
                if (!QuoteLocator.TryLocate(passage.Text, quote, out var start, out var end))
                    continue;
                var citation = ToCitation(number, passage, passage.Start + start, passage.Start + end);
                if (citation is not null)
                    return citation;
            }

            return null;
        }

        /// <summary>A bare [n]: the sentence of passage n closest in wording to the model's sentence.</summary>
        private Citation? CiteBare(int number, string wording)
        {
            var passage = ledger.Find(number);
            if (passage is null)
                return null;
            var article = ArticleOf(number, passage);
            if (article is null)
                return null;

            var words = Words(wording);
            var best = article.Sentences
                .Where(s => s.Start >= passage.Start && s.End <= passage.End)
                .Select(s => (Sentence: s, Score: Words(s.Text).Count(words.Contains)))
                .OrderByDescending(x => x.Score)
                .FirstOrDefault();
            return best.Sentence is null
                ? ToCitation(number, passage, passage.Start, passage.End)
                : ToCitation(number, passage, best.Sentence.Start, best.Sentence.End);
        }

        private Citation? ToCitation(int number, Passage passage, int start, int end)
        {
            var article = ArticleOf(number, passage);
            if (article is null)
                return null;
            var paragraph = article.Paragraphs.FirstOrDefault(p => start >= p.Start && start < p.End);
            if (paragraph is not null && !paragraph.Kind.IsQuotable())
                return null;

            var key = (article.Id, start, end);
            if (_byKey.TryGetValue(key, out var known))
                return known;
            var citation = new Citation(0, article.Id, article.Title, paragraph?.Number ?? passage.Paragraph, article.Slice(start, end), start, end);
            _byKey[key] = citation;
            return citation;
        }

        /// <summary>The passage's article, only when the passage is still its exact text (the index may have reloaded).</summary>
        private Article? ArticleOf(int number, Passage passage)
        {
            if (_checkedPassages.TryGetValue(number, out var known))
                return known;
            var article = catalog.Find(passage.SourceId);
            if (article is not null
                && (passage.Start < 0 || passage.End > article.Text.Length || passage.Start > passage.End
                    || !article.Text.AsSpan(passage.Start, passage.End - passage.Start).SequenceEqual(passage.Text)))
            {
                article = null;
            }

            _checkedPassages[number] = article;
            return article;
        }

        private int Number(Citation citation)
        {
            var index = Citations.FindIndex(c => c.SourceId == citation.SourceId && c.Start == citation.Start && c.End == citation.End);
            if (index >= 0)
                return index + 1;
            Citations.Add(citation with { Number = Citations.Count + 1 });
            return Citations.Count;
        }

        private static string Marker(int number) => string.Create(CultureInfo.InvariantCulture, $"[{number}]");

        private static void TrimTrailingSpace(StringBuilder text)
        {
            while (text.Length > 0 && text[^1] == ' ')
                text.Length--;
        }

        private static HashSet<string> Words(string text)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            var current = new StringBuilder();
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    current.Append(char.ToLowerInvariant(c));
                    continue;
                }

                Add();
            }

            Add();
            return words;

            void Add()
            {
                if (current.Length >= 3 && !StopWords.Contains(current.ToString()))
                    words.Add(current.ToString());
                current.Clear();
            }
        }

        private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
        {
            "the", "and", "for", "that", "with", "was", "were", "are", "his", "her", "its", "this", "from", "said",
            "has", "had", "have", "not", "but", "which", "who", "what", "when", "where", "why", "how", "they", "their",
        };
    }
}
