using System.Text.RegularExpressions;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Chat;

/// <summary>
/// "Summarize the article about Yukos", "who wrote the storm article?", "what is the Time Warner story about?": a request
/// about one article as a whole that names the article in passing. Read whole, none of the requests was recognised, and the
/// words were searched as a question ("The articles don't say"). The naming is replaced by "the article", so that the
/// request is recognised as it is without one, and the words that named it pick the article.
/// </summary>
public static partial class ArticleReference
{
    /// <summary>The message with its naming of an article replaced by "the article", and the words that named it; null when it names none.</summary>
    public static (string Request, string Named)? Of(string message)
    {
        foreach (var pattern in (Regex[])[About(), Before()])
        {
            if (pattern.Match(message) is { Success: true } match && !Unnaming().IsMatch(match.Groups["named"].Value))
            {
                var named = match.Groups["named"].Value.Trim();
                if (TermAnalyzer.Shared.Terms(named).Count == 0)
                    continue;
                return (string.Concat(message.AsSpan(0, match.Index), "the article", message.AsSpan(match.Index + match.Length)), named);
            }
        }

        return null;
    }

    /// <summary>
    /// The article <paramref name="named"/> means: the one with that id (in any case); else the one whose headline shares
    /// most of its words; else the one whose sentences hold all of them most often. Null when none does, or two do equally.
    /// </summary>
    public static Article? Resolve(string named, IndexSnapshot snapshot)
    {
        named = named.Trim();
        if ((snapshot.Find(named) ?? snapshot.Articles.FirstOrDefault(a => string.Equals(a.Id, named, StringComparison.OrdinalIgnoreCase))) is { } byId)
            return byId;
        var terms = TermAnalyzer.Shared.Terms(named).Distinct(StringComparer.Ordinal).ToList();
        var (byTitle, anyTitle) = ByHeadline(terms, snapshot.Articles.Select((a, source) => (a, snapshot.TitleTerms[source])));
        if (anyTitle)
            return byTitle;

        var byMentions = snapshot.ArticlesHoldingAll(terms)
            .Select(a => (Source: a.Key, Mentions: a.Value.Count))
            .OrderByDescending(m => m.Mentions)
            .Take(2)
            .ToList();
        return byMentions.Count == 1 || (byMentions.Count == 2 && byMentions[0].Mentions > byMentions[1].Mentions)
            ? snapshot.Articles[byMentions[0].Source]
            : null;
    }

    /// <summary>
    /// The article whose headline holds most of <paramref name="terms"/>, when only one holds that many (else null), and
    /// whether any holds one at all.
    /// </summary>
    internal static (Article? Best, bool Any) ByHeadline(IReadOnlyCollection<string> terms, IEnumerable<(Article Article, IReadOnlyList<string> Headline)> articles)
    {
        var scored = articles
            .Select(a => (a.Article, Shared: terms.Count(a.Headline.Contains)))
            .Where(s => s.Shared > 0)
            .OrderByDescending(s => s.Shared)
            .Take(2)
            .ToList();
        var best = scored.Count == 1 || (scored.Count == 2 && scored[0].Shared > scored[1].Shared) ? scored[0].Article : null;
        return (best, scored.Count > 0);
    }

    // "the article about Yukos", "that story on the storm", "the piece titled Dollar drops": to the end of the message.
    [GeneratedRegex(@"\b(?:the|that|this) (?:news )?(?:article|story|piece) (?:about|on|regarding|covering|titled|called|headlined) (?<named>.+?)(?=\W*$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex About();

    // "the storm article", "the Time Warner story", "bbc_2's article" is not read: one to four words before the noun.
    [GeneratedRegex(@"\b(?:the|that|this) (?<named>(?:[\p{L}\p{N}_’'\-]+ ){1,4}?)(?:news )?(?:article|story|piece)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Before();

    // Words that say which article without naming it: "the whole article", "the first story", "the same piece".
    [GeneratedRegex(@"^\W*(?:whole|entire|full|complete|same|original|main|current|last|latest|previous|other|new|above|linked|first|second|third|fourth|fifth|next|news|\d+(?:st|nd|rd|th)?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Unnaming();
}
