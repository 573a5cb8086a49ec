using System.Text.RegularExpressions;
using NewsBot.Retrieval;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>
/// A chat message that asks whom or what an article names ("who is mentioned in the story?", "which people are named?",
/// "list the companies mentioned", "what countries are mentioned?") rather than something one sentence answers; it gets
/// the article's <see cref="ArticleNames"/>. Searched as a question, each was refused.
/// </summary>
public static partial class NamesRequests
{
    /// <summary>
    /// Whether the message asks for the names; <paramref name="kind"/> is null when it asks for people and organisations
    /// both, <see cref="NameKind.Country"/> when it asks for places (countries are the places NewsBot knows by name).
    /// </summary>
    public static bool Recognise(string message, out NameKind? kind)
    {
        var text = RequestText.Normalised(message);
        kind = People().IsMatch(text) ? NameKind.Person : Organisations().IsMatch(text) ? NameKind.Organisation
            : Places().IsMatch(text) ? NameKind.Country : null;
        return kind is not null || Anyone().IsMatch(text);
    }

    private const string InIt = @"(?: (?:in|by|from) (?:it|this|that|" + ArticleWords.TheArticle + @"))?";

    private const string End = @"(?:,?\s+(?:please|pls))?\W*$";

    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:which|what) (?:people|persons|individuals|officials|figures|politicians)(?: (?:are|were|get|got))? (?:mentioned|named|quoted|featured|involved|cited)" + InIt +
                    @"|(?:which|what) (?:people|persons|individuals|officials|figures) does (?:it|" + ArticleWords.TheArticle + @") (?:mention|name|quote|feature)" +
                    @"|(?:list|name|show me|give me|tell me)(?: all)? (?:the |all the )?(?:people|persons|individuals|officials|figures|key figures|key people|main people|characters)(?: (?:mentioned|named|quoted|involved|featured))?" + InIt +
                    @"|who are the (?:key |main )?(?:people|figures|characters|individuals|officials)(?: (?:in|of|involved in|mentioned in) (?:it|this|that|" + ArticleWords.TheArticle + @"))?" +
                    @"|who(?:'s| is| was) (?:it|this|that|" + ArticleWords.TheArticle + @") (?:about|on))" + End)]
    private static partial Regex People();

    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:which|what) (?:companies|organisations|organizations|firms|groups|agencies|institutions|businesses|outlets)(?: (?:are|were|get|got))? (?:mentioned|named|quoted|featured|involved|cited)" + InIt +
                    @"|(?:which|what) (?:companies|organisations|organizations|firms|agencies|institutions) does (?:it|" + ArticleWords.TheArticle + @") (?:mention|name|feature)" +
                    @"|(?:list|name|show me|give me|tell me)(?: all)? (?:the |all the )?(?:companies|organisations|organizations|firms|agencies|institutions|businesses)(?: (?:mentioned|named|involved|featured))?" + InIt + @")" + End)]
    private static partial Regex Organisations();

    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:who(?:'s| is| are| was| were| gets| got) (?:mentioned|named|quoted|featured|involved|cited)" + InIt +
                    @"|who(?:'s| is| are) in (?:it|this|that|" + ArticleWords.TheArticle + @")" +
                    @"|who does (?:it|" + ArticleWords.TheArticle + @") (?:mention|name|quote|feature)" +
                    @"|(?:what|which) names (?:are (?:mentioned|in it)|does (?:it|" + ArticleWords.TheArticle + @") (?:mention|name))" +
                    @"|(?:list|give me|show me|tell me)(?: all)? (?:the |all the )?(?:names|players|key players|main players|names mentioned)" + InIt +
                    @"|who are the (?:key |main )?(?:players|names)(?: (?:in|of|involved in) (?:it|this|that|" + ArticleWords.TheArticle + @"))?" +
                    @"|(?:key |main )?(?:people|names|players) mentioned)" + End)]
    private static partial Regex Anyone();

    // Only the whole message: "which countries banned Kaspersky?" and "what places did the storm hit?" ask the text.
    [GeneratedRegex(@"^\W*" + SummaryRequests.Polite +
                    @"(?:(?:what|which) (?:places|countries|nations|locations)(?: (?:are|were|get|got))? (?:mentioned|named|involved|covered|featured)" + InIt +
                    @"|(?:what|which) (?:places|countries|nations) does (?:it|" + ArticleWords.TheArticle + @") (?:mention|name|cover)" +
                    @"|(?:list|name|show me|give me|tell me)(?: all)? (?:the |all the )?(?:places|countries|nations)(?: (?:mentioned|named|involved))?" + InIt + @")" + End)]
    private static partial Regex Places();
}
