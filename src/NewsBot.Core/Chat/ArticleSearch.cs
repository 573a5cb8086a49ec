using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// "Which article mentions Google?", "is there anything about the storm?", "do you have articles on Yukos?": a question
/// about which articles hold something, not about what they say. Searched as a question, the reader found no sentence
/// answering "which article" and the reply was "The articles don't say", though one did. The reply lists the articles whose
/// sentences (or headline) hold every word of it, each with the first sentence that does, quoted.
/// </summary>
public static partial class ArticleSearch
{
    /// <summary>At most this many articles are listed, with a quote each; the rest are counted.</summary>
    public const int MaxListed = 5;

    /// <summary>Most content words a search may have; a longer one is a question about content.</summary>
    public const int MaxTerms = 5;

    /// <summary>What the message looks for, as typed, or null when it is no search for articles.</summary>
    public static string? Recognise(string message) =>
        Search().Match(message.Trim()) is { Success: true } search && TermAnalyzer.Shared.Terms(search.Groups["what"].Value).Count is > 0 and <= MaxTerms
            ? search.Groups["what"].Value.Trim()
            : null;

    /// <summary>The articles holding every content word of <paramref name="what"/>, each cited where it first says it.</summary>
    public static Answer Find(string question, string what, IndexSnapshot snapshot)
    {
        var terms = TermAnalyzer.Shared.Terms(what).Distinct(StringComparer.Ordinal).ToList();
        var sentences = snapshot.ArticlesHoldingAll(terms)
            .ToDictionary(a => a.Key, a => (Count: a.Value.Count, First: FirstInBody(snapshot.Articles[a.Key], a.Value)));
        var titled = Enumerable.Range(0, snapshot.TitleTerms.Count).Where(source => terms.All(snapshot.TitleTerms[source].Contains));
        // Most mentions first: the article about Google before the one naming it once.
        var found = sentences.Keys.Union(titled)
            .OrderByDescending(source => sentences.GetValueOrDefault(source).Count)
            .ThenBy(source => source)
            .ToList();

        var quoted = QuoteMarks.Wrap(what);
        if (found.Count == 0)
        {
            var none = snapshot.Articles.Count == 1 ? $"The article doesn't mention {quoted}." : $"None of the {ArticleListing.Count(snapshot.Articles.Count)} mentions {quoted}.";
            return new Answer(question, false, none, []);
        }

        var citations = new List<Citation>();
        var entries = new List<string>();
        foreach (var source in found.Take(MaxListed))
        {
            var article = snapshot.Articles[source];
            var (start, end, paragraph) = sentences.TryGetValue(source, out var held)
                ? (article.Sentences[held.First].Start, article.Sentences[held.First].End, article.Sentences[held.First].Paragraph)
                : article.Paragraphs.FirstOrDefault(p => p.Kind == ParagraphKind.Title) is { } title ? (title.Start, title.End, title.Number) : (0, 0, 0);
            if (end <= start)
                continue;
            var citation = new Citation(citations.Count + 1, article.Id, article.Title, paragraph, article.Slice(start, end), start, end);
            citations.Add(citation);
            entries.Add($"{QuoteMarks.Wrap(article.Title)} ({article.Id}) — {QuoteMarks.Wrap(citation.Quote)} [{citation.Number}]");
        }

        var more = found.Count > citations.Count ? string.Create(CultureInfo.InvariantCulture, $"; and {found.Count - citations.Count:N0} more") : string.Empty;
        var verb = found.Count == 1 ? "mentions" : "mention";
        return new Answer(question, true, $"{ArticleListing.Count(found.Count)} {verb} {quoted}: {string.Join("; ", entries)}{more}", citations);
    }

    /// <summary>The first of the sentences in the article's body, else the first: the headline and byline are sentences too.</summary>
    private static int FirstInBody(Article article, List<int> sentences)
    {
        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        return sentences.Where(s => kinds[article.Sentences[s].Paragraph] == ParagraphKind.Body).DefaultIfEmpty(sentences[0]).First();
    }

    // "which article(s) mention/talk about/cover X", "is there an article about X", "are there any articles on X",
    // "do you have anything on X", "any news about X?", "find articles about X".
    [GeneratedRegex(@"^\W*(?:(?:which|what) (?:articles?|stories|story|sources?|pieces?)(?: (?:here|of (?:these|those|yours)))? (?:mentions?|talks? about|is about|are about|covers?|discuss(?:es)?|refers? to|says? (?:anything|something) about|has (?:anything|something) (?:on|about))|(?:is|are) there (?:an? |any )?(?:articles?|stories|story|news|anything|something)(?: here)? (?:about|on|mentioning|covering|that mentions?)|do you have (?:an? |any )?(?:articles?|stories|story|news|anything|something) (?:about|on|mentioning|covering)|any (?:news|articles?|stories) (?:about|on)|(?:find|search for|look for|search) (?:articles?|stories|news) (?:about|on|mentioning))\s+(?<what>.+?)[\s?.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Search();
}
