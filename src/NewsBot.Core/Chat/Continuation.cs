using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Chat;

/// <summary>
/// "What did he say next?", "and then?", "go on", "tell me more": the reader wants what the article says right after
/// the passage just quoted, not another search for the same topic (which quoted the same sentence again).
/// </summary>
public static partial class Continuation
{
    public const string NothingToReadOn =
        "There is no quote yet to read on from: ask a question first, then “what did he say next?” reads on after the quote it gives.";

    public static bool Asks(string question) => ContinuationQuestion().IsMatch(question.Trim().ToLowerInvariant());

    /// <summary>The one or two quotable sentences that follow the passage the last turn was reading, or null.</summary>
    public static Answer? After(IndexSnapshot index, ConversationTurn previous)
    {
        if (previous.Citations is not { Count: > 0 } cited || index.Find(cited[0].SourceId) is not { } article)
            return null;

        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        var body = article.Sentences.Where(s => kinds[s.Paragraph] == ParagraphKind.Body).ToList();
        var following = body.Where(s => s.Start >= ReadUpTo(cited, body)).Take(2).ToList();
        if (following.Count == 0)
            return new Answer(string.Empty, false, $"That was the end of {QuoteMarks.Wrap(article.Title)}.", []);

        var citations = following
            .Select((s, i) => new Citation(i + 1, article.Id, article.Title, s.Paragraph, s.Text, s.Start, s.End))
            .ToList();
        var text = "Next, the article says: " + string.Join(" ", citations.Select(c => $"{QuoteMarks.Wrap(c.Quote)} [{c.Number}]"));
        return new Answer(string.Empty, true, text, citations);
    }

    /// <summary>
    /// Where the reader stopped: the end of the first (primary) citation, which is the quote the answer was about, and
    /// past the citations that go on from it sentence by sentence (a continuation's second sentence, a gist's lead after
    /// its subtitle). A second citation elsewhere in the article is an aside, not the place to continue from.
    /// </summary>
    private static int ReadUpTo(IReadOnlyList<Citation> cited, List<Sentence> body)
    {
        var end = cited[0].End;
        foreach (var next in cited.Skip(1))
        {
            if (next.SourceId != cited[0].SourceId || body.FirstOrDefault(s => s.Start >= end) is not { } following || following.Start != next.Start)
                break;
            end = next.End;
        }

        return end;
    }

    [GeneratedRegex(@"^\W*(and )?(then|next|go on|continue|keep going|keep reading|read on|what next|(tell me|say|read me|give me|show me)? ?more( please| pls)?|more on that|elaborate|(and )?after that|what('s| is| was| comes| came| happens| happened| follows| followed) (next|after that|then)|what (did|does|do) \w+ (say|do|write|add) (next|after that|then)|what else did \w+ say)\W*$")]
    private static partial Regex ContinuationQuestion();
}
