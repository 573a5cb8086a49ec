using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Chat;

/// <summary>What a message asks about the bot itself rather than about the articles.</summary>
public enum BotQuestion
{
    /// <summary>"help", "what can you do?", "how does this work?".</summary>
    Help,

    /// <summary>"what articles do you have?", "list the sources", "what can I ask about?".</summary>
    Articles,

    /// <summary>
    /// "translate the article", "explain it like I'm five", "write a tweet about it": work on the articles' words, which
    /// NewsBot only ever quotes.
    /// </summary>
    Rewrite,

    /// <summary>"are you a bot?", "who are you?", "who made you?".</summary>
    Identity,

    /// <summary>"show me the full article", "what's the link to the article?": the article itself, which is only ever quoted.</summary>
    WholeArticle,

    /// <summary>"what time is it?", "what's today's date?", "what's 2+2?": the clock or a sum, which no article answers.</summary>
    ClockOrSum,

    /// <summary>"is it true?", "is this fake news?", "can I trust it?", "what do you think of it?": a verdict on the article.</summary>
    Judgement,
}

/// <summary>
/// Questions about the bot itself. Searched in the articles, "help" or "what articles do you have?" found nothing and were
/// told "The article doesn't say"; they get how to use the bot, or the articles loaded (as <c>/sources</c> lists them).
/// </summary>
public static partial class BotQuestions
{
    public const string HelpReply =
        "I answer questions about the loaded news articles with exact quotes and citations, and I say so when an article " +
        "doesn't say. Ask in your own words (“Why did the office decline the meeting?”), follow up (“why?”, “tell me more”, " +
        "“what did he say next?”), ask for a summary (“summarize the article”, “tl;dr”), or for the news (“what's the news?”). Commands: /summary for a cited " +
        "summary, /sources for the articles loaded.";

    /// <summary>
    /// Why a request to translate or rewrite gets no answer. Searched in the articles, "translate the first paragraph into
    /// French" was told "The article doesn't say", as if the article were at fault. A language model would not change it:
    /// its answers too must quote the article exactly.
    /// </summary>
    public const string RewriteReply =
        "I only quote the articles, word for word, so I can't translate, rewrite or restyle them. Ask me what an article " +
        "says, or use /summary for a cited summary.";

    /// <summary>
    /// Why the article is not shown or linked: NewsBot reads the files of its seeds folder, which carry no address, and a
    /// chat reply holds quotes, not whole articles. Searched as a question, "what's the link to the article?" quoted a
    /// sentence about US targets.
    /// </summary>
    public const string WholeArticleReply =
        "I don't have a link to the article, and I don't post it whole: I quote it. Ask me a question about it, or use " +
        "/summary for a cited summary (/sources lists the articles).";

    /// <summary>
    /// Why the time, the date or a sum gets no answer. Searched in the articles, "what time is it?" quoted a sentence about a
    /// schedule and "what's 2+2?" one about a 2% rise: the reader found a time or a number, and the question shares no word
    /// with anything that could answer it.
    /// </summary>
    public const string ClockOrSumReply =
        "I don't tell the time or the date, or do sums: I only answer from the loaded articles, with quotes. Ask me what an " +
        "article says, or use /summary for a cited summary.";

    /// <summary>
    /// Why the bot gives no verdict on an article. Searched in the articles, "is it true?" and "what do you think about it?"
    /// were told "The articles don't say", as if the article were silent about itself; a verdict would be the bot's own
    /// claim, which no quote backs. "What do you think about Kaspersky?" names a topic and gets what the article says of it.
    /// </summary>
    public const string JudgementReply =
        "I can't tell whether an article is true, fair or trustworthy, and I have no opinions of my own: I quote what it " +
        "says and whom it quotes. Ask who said something (“who said …?”), what the article says about a topic, or use " +
        "/summary for a cited summary.";

    /// <summary>Who is answering: a bot, which says so plainly, and what it does.</summary>
    public const string IdentityReply = "I'm NewsBot, a bot, not a person. " + HelpReply;

    public static BotQuestion? Recognise(string message)
    {
        var text = message.Replace('’', '\'').Trim().ToLowerInvariant();
        if (Help().IsMatch(text))
            return BotQuestion.Help;
        if (Articles().IsMatch(text))
            return BotQuestion.Articles;
        if (Identity().IsMatch(text))
            return BotQuestion.Identity;
        if (WholeArticle().IsMatch(text))
            return BotQuestion.WholeArticle;
        if (ClockOrSum().IsMatch(text))
            return BotQuestion.ClockOrSum;
        if (Judgement().IsMatch(text))
            return BotQuestion.Judgement;
        return Rewrite().IsMatch(text) ? BotQuestion.Rewrite : null;
    }

    /// <summary>The reply to a question about the bot.</summary>
    public static string Reply(BotQuestion question, IReadOnlyList<Article> articles) => question switch
    {
        BotQuestion.Help => HelpReply,
        BotQuestion.Articles => DescribeArticles(articles),
        BotQuestion.Identity => IdentityReply,
        BotQuestion.WholeArticle => WholeArticleReply,
        BotQuestion.ClockOrSum => ClockOrSumReply,
        BotQuestion.Judgement => JudgementReply,
        _ => RewriteReply,
    };

    /// <summary>The articles loaded, by title and id, the first few of a large archive.</summary>
    public static string DescribeArticles(IReadOnlyList<Article> articles) =>
        articles.Count == 0 ? "No articles are loaded yet." : $"I can answer questions about {ArticleListing.Count(articles.Count)}: {ArticleListing.Of(articles)}.";

    [GeneratedRegex(@"^\W*(?:help(?: me)?(?: please)?|what can you do|what do you do|what are you|how do (?:i|we) use (?:you|this|this bot|newsbot)|how does (?:this|this bot|newsbot) work|what commands (?:are there|do you (?:have|know))|commands)\W*$")]
    private static partial Regex Help();

    [GeneratedRegex(@"^\W*(?:(?:what|which|how many) (?:articles|stories|sources|news articles|texts)(?: do you (?:have|know(?: about)?)| are (?:there|loaded|available)| can i ask(?: you)? about)?|(?:list|show)(?: me)? (?:the |your )?(?:articles|sources|stories)|what can i ask(?: you)? about|what (?:topics|subjects|news) (?:do you (?:cover|have|know(?: about)?)|can i ask(?: you)? about|are (?:there|covered)))\W*$")]
    private static partial Regex Articles();

    [GeneratedRegex(@"^\W*(?:who are (?:you|u)|(?:who|what) (?:made|built|created|programmed) (?:you|u|this bot|newsbot)|are (?:you|u) (?:a |an )?(?:bot|robot|human|person|real person|ai|machine|chatbot|real)|is this (?:a )?(?:bot|human|real person)|what is newsbot)\W*$")]
    private static partial Regex Identity();

    [GeneratedRegex(@"^\W*(?:(?:can|could|would) (?:you|u) |please )?(?:(?:show|send|give|paste|post) (?:me |us )?(?:the )?(?:full|whole|entire|complete|original) (?:article|story|piece|text)|(?:where|how) (?:can|do) (?:i|we) (?:read|find|see) (?:the )?(?:full|whole|entire|complete|original) (?:article|story|piece)|(?:what(?:'s| is) |give me |send me |share )?(?:the )?(?:link|url|web address|address|source link|original link) (?:to|of|for) (?:the|this|that) (?:article|story|piece)|(?:what(?:'s| is) )?the (?:source|origin|url|link) of (?:the|this|that) (?:article|story|piece))\W*$")]
    private static partial Regex WholeArticle();

    // Only the whole message: "what time is the meeting?" and "what was the date of the attack?" are questions for the articles.
    [GeneratedRegex(@"^\W*(?:(?:hey|hi|ok|okay|newsbot|@newsbot)[,!]?\s+)*(?:(?:can|could) (?:you|u) (?:please )?(?:tell me )?)?(?:what(?:'s| is) the time(?: (?:today|now|right now))?|what(?:'s| is) the (?:date|day) (?:today|now|right now)|what time is it(?: now| right now)?|what(?:'s| is) (?:today's|the current) (?:date|time|day)|what (?:day|date) is (?:it|today)(?: today)?|what(?:'s| is) (?:today|the day today)|(?:what(?:'s| is) |calculate |compute |how much is )\(?-?\d+(?:[.,]\d+)?\s*(?:[-+*/x×÷^]|plus|minus|times|divided by|multiplied by)\s*\(?-?\d+(?:[.,]\d+)?\)?(?:\s*(?:[-+*/x×÷^]|plus|minus|times|divided by|multiplied by)\s*-?\d+(?:[.,]\d+)?)*)\W*$")]
    private static partial Regex ClockOrSum();

    // Only the whole message, about the article itself: "is it true that the PMO declined?" and "is the claim accurate?" ask
    // the text, and "what do you think of Kaspersky?" names a topic (Attribution.TopicOfTheBotsView).
    [GeneratedRegex(@"^\W*(?:(?:hey|hi|ok|okay|so|but|newsbot|@newsbot)[,!]?\s+)*(?:(?:is|was) (?:it|this|that|all (?:of )?(?:this|that)|" + Article + @")(?: (?:really|actually|even))? (?:true|real|false|fake|fake news|accurate|correct|right|reliable|trustworthy|credible|biased|fair|balanced|legit|propaganda|misinformation|disinformation|a lie|lies|made up|fact or fiction)|(?:is|are) (?:it|this|that|" + Article + @"|the (?:source|sources|facts)) (?:to be )?(?:trusted|believed)|(?:can|should|do) (?:i|we|you) (?:trust|believe) (?:it|this|that|" + Article + @"|the source|this source)|(?:do|would) (?:you|u) (?:agree|believe (?:it|this|that))(?: with (?:it|this|that|" + Article + @"))?|(?:what do (?:you|u) (?:think|make|reckon)|how do (?:you|u) feel)(?: (?:about|of) (?:it|this|that|" + Article + @"))?|what(?:'s| is) your (?:opinion|view|take|verdict|thinking)(?: (?:on|of|about) (?:it|this|that|" + Article + @"))?|(?:your )?thoughts|(?:can you )?fact[- ]?check (?:it|this|that|" + Article + @"))\W*$")]
    private static partial Regex Judgement();

    // Not "the report": in a story that is usually a report it tells of ("was the report true?").
    private const string Article = "(?:the|this|that) (?:article|story|piece|news|news story)";

    // Only as the request itself: "Explain why the US banned Kaspersky" is a question, and "Who translated the report?" one for the article.
    [GeneratedRegex(@"^\W*(?:(?:please|pls|hey|ok|okay|newsbot|@newsbot)[,!]?\s+)*(?:(?:can|could|would|will) (?:you|u) (?:please )?)?(?:translate|rewrite|re-write|rephrase|reword|paraphrase|simplify|eli5|explain (?:(?:it|this|that|the (?:article|story|piece)) )?(?:like|as if) (?:i'm|im|i am|to) (?:a |an )?(?:five|5|a child|child|kid|\d+)|write (?:me )?(?:a|an) (?:poem|tweet|song|haiku|limerick|essay|email|letter|joke)|make (?:it|this|the (?:article|story|piece)) (?:shorter|simpler|funnier|easier|longer))\b")]
    private static partial Regex Rewrite();
}
