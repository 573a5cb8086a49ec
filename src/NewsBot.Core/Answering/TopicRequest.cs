using System.Text.RegularExpressions;
using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>
/// A request for what the articles say about something, rather than a question with one answer: "tell me about the
/// storm", "what does the article say about Davos?", "what happened to Yukos?", "what do we know about the ferries?", "quote
/// the part about South Korea", "where does it mention the shelters?". The
/// reader learned from questions with a short answer, and gives "what happened in the storm?" 0.09 against "A winter storm
/// closed the harbour on Monday, …": it is no answer to a factoid question, but it is what the article says about the storm.
/// </summary>
internal static partial class TopicRequest
{
    /// <summary>A topic of more content words than this is a question in its own right ("what happened to the pilots that were shot down?").</summary>
    public const int MaxTopicTerms = 3;

    /// <summary>The topic asked about, as typed, or null when the message is no topic request.</summary>
    public static string? Of(string question)
    {
        var topic = ArticleSaysAbout(question) ?? (AskedAbout().Match(question) is { Success: true } asked ? asked.Groups["topic"].Value : null);
        return string.IsNullOrWhiteSpace(topic) ? null : topic;
    }

    /// <summary>
    /// "and the shelters?", "what about the mayor?": the topic a follow-up turns to, or null. Carried along with the previous
    /// question it asks that question of the new topic, which the article may not answer while it says something of it.
    /// </summary>
    public static string? OfFollowUp(string message) =>
        FollowUpAbout().Match(message) is { Success: true } about && TermAnalyzer.Shared.Terms(about.Groups["topic"].Value).Count is > 0 and <= MaxTopicTerms
            ? about.Groups["topic"].Value.Trim()
            : null;

    /// <summary>"What does the article say about X?", "how did it report X?": the topic X, or null.</summary>
    public static string? ArticleSaysAbout(string question) =>
        SaysAbout().Match(question) is { Success: true } about ? about.Groups["topic"].Value : null;

    /// <summary>
    /// The topic's content terms (as retrieval respelled them), when there are 1 to <see cref="MaxTopicTerms"/>; else null.
    /// </summary>
    public static IReadOnlyList<string>? Terms(string topic, QuestionAnalysis analysis)
    {
        var terms = TermAnalyzer.Shared.Terms(topic)
            .Select(t => analysis.Respellings?.GetValueOrDefault(t, t) ?? t)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return terms.Count is > 0 and <= MaxTopicTerms ? terms : null;
    }

    private const string TheArticle = ArticleWords.TheArticle;

    [GeneratedRegex(@"^\W*(?:what|how) (?:does|did|do|is) (?:" + TheArticle + @"|it) (?:say|tell us|mention|report|write)s? (?:about|of|regarding|on) (?<topic>.+?)[\s?.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex SaysAbout();

    // "and the shelters?", not "and who wrote it?" (a question of its own) nor "and why?".
    [GeneratedRegex(@"^\W*(?:(?:and|but|so) )?(?:what about|how about|and|also),? (?!(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b)(?<topic>.+?)[\s?.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex FollowUpAbout();

    [GeneratedRegex(@"^\W*(?:(?:(?:can|could|would) you |please )?tell me (?:more |a bit |something )?about|what(?:'s|’s| has)? happen(?:ed|s|ing)? (?:to|in|with|at|during)|what (?:do we|does anyone) know about|what is known about|what(?:'s|’s| is) the (?:news|latest) (?:on|about|with)|(?:(?:can|could|would) you |please )?(?:quote|show|find|give|read)(?: me| us)? (?:the |a |any )?(?:part|parts|bit|bits|passage|passages|section|line|lines|sentence|sentences|paragraph|quote|quotes)(?: of (?:the article|it))? (?:about|on|regarding|mentioning|that mentions?|that talks? about|where it (?:talks about|mentions|says))|where (?:does|did) (?:the article|the story|it) (?:mention|talk about|discuss|cover|say anything about)) (?<topic>.+?)[\s?.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex AskedAbout();
}
