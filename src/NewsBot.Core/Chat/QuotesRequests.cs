using System.Text.RegularExpressions;
using NewsBot.Retrieval;

namespace NewsBot.Chat;

/// <summary>
/// A chat message that asks for what the article's people said ("what are the key quotes?", "who said what?", "what did
/// people say?") rather than something one sentence answers; it gets the article's <see cref="Summaries.ArticleQuotes"/>.
/// Searched as a question, each was refused ("what did people say?" for want of words attributed to "people").
/// </summary>
public static partial class QuotesRequests
{
    public static bool Recognise(string message) =>
        Request().IsMatch(RequestText.Normalised(message));

    private const string InIt = @"(?: (?:in|from|of) (?:it|this|that|" + ArticleWords.TheArticle + @"))?";

    // Only the whole message: "quote the part about the shelters" is a topic, and "what did the PMO say?" a question.
    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:what are |give (?:me|us) |show (?:me|us) |list |any |get )?(?:the |some )?(?:key |main |best |notable |direct |important |big |top )?(?:quotes|quotations|statements)(?: (?:used|given))?" + InIt +
                    @"|who said what" + InIt +
                    @"|what (?:did|do) (?:people|everyone|everybody|sources|officials|the people quoted|those quoted) (?:say|have to say)" + InIt +
                    @"|who (?:is|was|gets|got) quoted saying what" + InIt + @")" +
                    @"(?:,?\s+(?:please|pls))?\W*$")]
    private static partial Regex Request();
}
