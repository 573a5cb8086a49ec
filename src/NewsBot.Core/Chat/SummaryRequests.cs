using System.Text.RegularExpressions;
using NewsBot.Retrieval;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// A chat message that asks for a summary of the article ("summarize the article", "can you give me a short summary?",
/// "sum it up", "key points?", "what happened?") rather than something the article says. Searched as a question its words ("summarize",
/// "article") match no sentence, and the reply was "The article doesn't say"; it is answered as <c>/summary</c> is.
/// </summary>
/// <remarks>
/// Only a request for the whole article: "summarize what Kaspersky said about Israel" names a topic, which a summary of
/// the whole article would not answer, so it stays a question; so does "summarize the report", which in a news article is
/// as often a report the article tells of.
/// </remarks>
public static partial class SummaryRequests
{
    /// <summary>The length asked for when the message asks for a summary of the article; null for any other message.</summary>
    public static SummaryLength? Recognise(string message)
    {
        var text = RequestText.Normalised(message);
        if (!Request().IsMatch(text))
            return null;
        if (OneSentence().IsMatch(text))
            return SummaryLength.OneSentence;
        if (Short().IsMatch(text))
            return SummaryLength.Short;
        return Long().IsMatch(text) ? SummaryLength.Long : SummaryLength.Medium;
    }

    /// <summary>Whether a summary request asks for a list: "in 3 bullet points", "as bullets", "as a list".</summary>
    public static bool AsksForBullets(string message) => Bullets().IsMatch(message.ToLowerInvariant());

    internal const string Polite = @"(?:(?:please|pls|plz|hi|hello|hey|ok|okay|so|now|and|bot|newsbot|@newsbot)[,!]?\s+)*(?:(?:can|could|would|will) (?:you|u) (?:please |pls )?|i(?:'d| would) like (?:you to )?|i want (?:you to )?|let's |let me have |let me see )?";
    private const string Article = "(?:it|this|that|(?:" + ArticleWords.Determiners + "|today's) (?:whole |entire |news )?(?:" + ArticleWords.Nouns + "|news|link))";
    private const string Size = @"(?:(?:very |really |super )?(?:short|shorter|brief|briefer|quick|little|one[- ]line|one[- ]sentence|two[- ]sentence|long|longer|detailed|full|fuller|complete|thorough|medium|proper|good|simple|general|overall)\s+)*";
    private const string Manner = @"(?:,?\s+(?:for me|for us|please|pls|plz|briefly|quickly|in detail|in full|in (?:a|one|1|a single|two|2|three|3|a few) (?:line|lines|sentence|sentences|words?|paragraph)|in short" +
                                  @"|(?:in|as|with) (?:(?:a few|some|two|2|three|3|four|4|five|5) )?(?:bullet points|bullets|bullet-points|points|a list|a bulleted list)))*";

    [GeneratedRegex(@"^\W*" + Polite +
                    @"(?:(?:summari[sz]e|sum up|recap|tl;?dr|give (?:me |us )?(?:a |the )?" + Size + @"(?:summary|recap|overview|rundown|synopsis|gist|tl;?dr) of)(?:\s+" + Article + @")?" +
                    @"|sum " + Article + @" up" +
                    @"|(?:give (?:me|us) |get |have |show (?:me|us) |what(?:'s| is) )?(?:a |an |the )?" + Size + @"(?:summary|recap|overview|rundown|synopsis|gist|tl;?dr)(?:\s+(?:of|for) " + Article + @")?" +
                    @"|(?:what are |give (?:me|us) |list )?(?:the |its )?(?:main|key) (?:points|takeaways|facts)(?:\s+(?:of|in) " + Article + @")?" +
                    @"|(?:what(?:'s| is) |give (?:me|us) )?the bottom line(?:\s+(?:of|for) " + Article + @")?" +
                    @"|what(?:'s| is)? (?:happened|happening|going on)(?:\s+(?:in|with) " + Article + @")?)" +
                    Manner + @"\W*$")]
    private static partial Regex Request();

    [GeneratedRegex(@"\b(?:one[- ]line|one[- ]liner|one[- ]sentence|single[- ]sentence|in (?:a|one|1|a single) (?:line|sentence)|bottom line)\b")]
    private static partial Regex OneSentence();

    [GeneratedRegex(@"\b(?:short|shorter|brief|briefer|briefly|quick|quickly|little|two[- ]sentence|gist|tl;?dr|in short|happened|happening|going on|in (?:a|one|two|2|three|3|a few) (?:line|lines|sentence|sentences|words?)|(?:a few|two|2|three|3) (?:bullet points|bullets|bullet-points|points))\b")]
    private static partial Regex Short();

    [GeneratedRegex(@"\b(?:long|longer|detailed|full|fuller|complete|thorough|in detail|in full)\b")]
    private static partial Regex Long();

    [GeneratedRegex(@"\b(?:bullets?|bullet[- ]points?|bulleted|(?:as|in) (?:a )?list|(?:as|in) points)\b")]
    private static partial Regex Bullets();
}
