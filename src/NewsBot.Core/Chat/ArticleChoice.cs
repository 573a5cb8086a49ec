using System.Text.RegularExpressions;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// The reply to "which one?" (<see cref="ArticleListing"/>): "bbc_2", "the second one", "the one about Yukos", "storm".
/// Searched as a question, such a reply found nothing and the bot said "The articles don't say". A message is read as a
/// choice only when it asks nothing itself (no "?", no question word first) and is short, so that a new question after
/// the prompt ("Why did Khodorkovsky quit?") is answered as one.
/// </summary>
public static partial class ArticleChoice
{
    private const int MaxWords = 8;

    /// <summary>The article the message names among <paramref name="articles"/> (listed in this order), or null.</summary>
    public static Article? Pick(string message, IReadOnlyList<Article> articles)
    {
        var text = message.Trim();
        var lower = text.ToLowerInvariant();
        if (text.Length == 0 || text.Contains('?') || AsksSomething().IsMatch(lower) || Word().Count(lower) > MaxWords)
            return null;
        var words = Word().Matches(lower).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        if (articles.FirstOrDefault(a => words.Contains(a.Id.ToLowerInvariant())) is { } byId)
            return byId;
        if (Ordinal().Match(lower) is { Success: true } ordinal)
        {
            var position = Position(ordinal.Groups["n"].Value);
            return position >= 1 && position <= Math.Min(articles.Count, ArticleListing.MaxShown) ? articles[position - 1] : null;
        }

        // The title that shares most of the message's words, when only one does.
        var asked = TermAnalyzer.Shared.Terms(text).Distinct(StringComparer.Ordinal).ToList();
        return asked.Count == 0 ? null : ArticleReference.ByHeadline(asked, articles.Select(a => (a, TermAnalyzer.Shared.Terms(a.Title)))).Best;
    }

    /// <summary>
    /// After a reply that listed articles (a digest, a search): "the third one", "tell me more about the second story",
    /// "summarize the 2nd": the article at that place among <paramref name="listed"/>, or null. Only a place counts here,
    /// not headline words, as the message may be a new question that happens to share them.
    /// </summary>
    public static Article? ByPlace(string message, IReadOnlyList<Article> listed)
    {
        if (PlaceRequest().Match(message.Trim().ToLowerInvariant()) is not { Success: true } place)
            return null;
        var position = Position(place.Groups["n"].Value);
        return position >= 1 && position <= Math.Min(listed.Count, ArticleListing.MaxShown) ? listed[position - 1] : null;
    }

    private static int Position(string n) => n switch
    {
        "first" or "1st" => 1,
        "second" or "2nd" => 2,
        "third" or "3rd" => 3,
        "fourth" or "4th" => 4,
        "fifth" or "5th" => 5,
        "sixth" or "6th" => 6,
        "seventh" or "7th" => 7,
        "eighth" or "8th" => 8,
        "ninth" or "9th" => 9,
        "tenth" or "10th" => 10,
        _ => int.TryParse(n.TrimStart('#'), out var number) ? number : 0,
    };

    private const string Place = @"(?<n>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd|3rd|[4-9]th|10th|#?\d{1,2})";

    [GeneratedRegex(@"^\W*(?:the )?" + Place + @"(?: (?:one|article|story|piece))?(?: please)?\W*$")]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"^\W*(?:(?:and |so |ok,? )?(?:tell me (?:more |a bit more )?about|more (?:about|on)|what about|how about|(?:summari[sz]e|sum up|open|show(?: me)?|read)) )?(?:the )?" + Place + @"(?: (?:one|article|story|piece|item|link))?(?: please)?\W*$")]
    private static partial Regex PlaceRequest();

    [GeneratedRegex(@"^\W*(?:who|what|when|where|why|how|which|whose|whom|is|are|was|were|did|does|do|can|could|will|would|should|has|have|had)\b")]
    private static partial Regex AsksSomething();

    [GeneratedRegex(@"[\p{L}\p{N}_\-]+")]
    private static partial Regex Word();
}
