using System.Text.RegularExpressions;

namespace NewsBot.Chat;

/// <summary>
/// A chat message that asks for the article's events in order ("give me a timeline", "what's the chronology?", "list the
/// events in order") rather than something one sentence answers; it gets a <see cref="Summaries.Timeline"/> of the article.
/// </summary>
public static partial class TimelineRequests
{
    public static bool Recognise(string message) =>
        Request().IsMatch(RequestText.Normalised(message));

    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:give (?:me |us )?|show (?:me |us )?|make (?:me |us )?|what(?:'s| is) |get )?(?:a |an |the )?(?:quick |short |brief |full )?(?:timeline|chronology|time line)(?: of (?:events|(?:the |this |that )?(?:article|story|events)))?" +
                    @"|(?:list|put|give me|show me) (?:the )?events in (?:order|chronological order)" +
                    @"|(?:in )?what order did (?:things|the events|events) happen)" +
                    @"(?:,?\s+(?:please|pls|for me|in order))*\W*$")]
    private static partial Regex Request();
}
