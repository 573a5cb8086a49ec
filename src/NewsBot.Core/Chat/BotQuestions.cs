using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Sources;

namespace NewsBot.Chat;

/// <summary>What a message asks about the bot itself rather than about the articles.</summary>
public enum BotQuestion
{
    /// <summary>"help", "what can you do?", "how does this work?".</summary>
    Help,

    /// <summary>"what articles do you have?", "list the sources", "what can I ask about?".</summary>
    Articles,
}

/// <summary>
/// Questions about the bot itself. Searched in the articles, "help" or "what articles do you have?" found nothing and were
/// told "The article doesn't say"; they get how to use the bot, or the articles loaded (as <c>/sources</c> lists them).
/// </summary>
public static partial class BotQuestions
{
    private const int MaxListedArticles = 10;

    public const string HelpReply =
        "I answer questions about the loaded news articles with exact quotes and citations, and I say so when an article " +
        "doesn't say. Ask in your own words (“Why did the office decline the meeting?”), follow up (“why?”, “tell me more”, " +
        "“what did he say next?”), or ask for a summary (“summarize the article”, “tl;dr”). Commands: /summary for a cited " +
        "summary, /sources for the articles loaded.";

    public static BotQuestion? Recognise(string message)
    {
        var text = message.Replace('’', '\'').Trim().ToLowerInvariant();
        if (Help().IsMatch(text))
            return BotQuestion.Help;
        return Articles().IsMatch(text) ? BotQuestion.Articles : null;
    }

    /// <summary>The articles loaded, by title and id, the first few of a large archive.</summary>
    public static string DescribeArticles(IReadOnlyList<Article> articles)
    {
        if (articles.Count == 0)
            return "No articles are loaded yet.";
        var listed = string.Join("; ", articles.Take(MaxListedArticles).Select(a => $"{QuoteMarks.Wrap(a.Title)} ({a.Id})"));
        var more = articles.Count > MaxListedArticles
            ? string.Create(CultureInfo.InvariantCulture, $"; and {articles.Count - MaxListedArticles:N0} more (/sources lists them)")
            : "";
        var count = articles.Count == 1 ? "1 article" : string.Create(CultureInfo.InvariantCulture, $"{articles.Count:N0} articles");
        return $"I can answer questions about {count}: {listed}{more}.";
    }

    [GeneratedRegex(@"^\W*(?:help(?: me)?(?: please)?|what can you do|what do you do|what are you|how do (?:i|we) use (?:you|this|this bot|newsbot)|how does (?:this|this bot|newsbot) work|what commands (?:are there|do you (?:have|know))|commands)\W*$")]
    private static partial Regex Help();

    [GeneratedRegex(@"^\W*(?:(?:what|which) (?:articles|stories|sources|news articles|texts)(?: do you (?:have|know(?: about)?)| are (?:there|loaded|available)| can i ask(?: you)? about)?|(?:list|show)(?: me)? (?:the |your )?(?:articles|sources|stories)|what can i ask(?: you)? about)\W*$")]
    private static partial Regex Articles();
}
