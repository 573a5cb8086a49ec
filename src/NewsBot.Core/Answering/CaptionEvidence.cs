using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Answering;

/// <summary>A sentence of a photo caption: <c>Article.Text[Start..End]</c>, in caption paragraph <see cref="Paragraph"/>.</summary>
internal sealed record CaptionSentence(Article Article, int Paragraph, int Start, int End)
{
    public string Text => Article.Slice(Start, End);
}

/// <summary>
/// Photo captions as the evidence of last resort. Captions stay out of an article's quotable sentences: they describe a
/// picture, not the story, and summaries, the gist and "tell me more" must not quote them. Yet some facts appear only
/// there ("A sign above the headquarters of Kaspersky Lab in Moscow …"). So when the article's prose answers nothing, the
/// reader reads the captions of the articles retrieval found, and a caption it finds answering is quoted, as a caption.
/// </summary>
internal static class CaptionEvidence
{
    /// <summary>At most this many caption sentences are read for one question, the ones sharing most words with it.</summary>
    public const int MaxRead = 6;

    /// <summary>Captions are looked for in this many of the articles retrieval ranked first (in the asked article alone when one is).</summary>
    public const int MaxArticles = 3;

    private static readonly SentenceSegmenter Segmenter = new();

    /// <summary>
    /// The caption sentences worth reading for the question: each shares at least one of its content terms (a caption
    /// sharing none cannot be about what was asked), most shared first, then in article order. The credit is left out of
    /// the sentence ("(AP/Pavel Golovkin)"), so a quote ends where the description does.
    /// </summary>
    public static IReadOnlyList<CaptionSentence> Candidates(IEnumerable<Article> articles, QuestionAnalysis analysis)
    {
        var wanted = analysis.ContentTerms.ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
            return [];

        var found = new List<(CaptionSentence Sentence, int Shared)>();
        foreach (var article in articles)
        {
            foreach (var paragraph in article.Paragraphs.Where(p => p.Kind == ParagraphKind.Caption))
            {
                var caption = article.Slice(paragraph.Start, paragraph.End);
                var description = LineRules.Description(caption);
                if (description.Length == 0)
                    continue;
                foreach (var span in Segmenter.Split(caption.AsSpan(description.Start, description.Length)))
                {
                    var start = paragraph.Start + description.Start + span.Start;
                    var sentence = new CaptionSentence(article, paragraph.Number, start, start + span.Length);
                    var shared = TermAnalyzer.Shared.Terms(sentence.Text).Distinct(StringComparer.Ordinal).Count(wanted.Contains);
                    if (shared > 0)
                        found.Add((sentence, shared));
                }
            }
        }

        return [.. found.OrderByDescending(f => f.Shared).Take(MaxRead).Select(f => f.Sentence)];
    }

    /// <summary>The articles whose captions may answer: the asked one, else those of retrieval's first candidates.</summary>
    public static IReadOnlyList<Article> ArticlesInScope(IndexSnapshot snapshot, string? sourceId, IReadOnlyList<SentenceCandidate> candidates) =>
        sourceId is not null
            ? [.. new[] { snapshot.Find(sourceId) }.OfType<Article>()]
            : [.. candidates.Select(c => c.Article).DistinctBy(a => a.Id).Take(MaxArticles)];
}
