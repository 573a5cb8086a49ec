using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Chat;

/// <summary>
/// "What did he say next?", "and then?", "go on": the reader wants what the article says right after
/// the passage just quoted, not another search for the same topic.
/// </summary>
public static partial class Continuation
{
    public static bool Asks(string question) => ContinuationQuestion().IsMatch(question.Trim().ToLowerInvariant());

    /// <summary>The one or two quotable sentences that follow the last turn's final citation, or null.</summary>
    public static Answer? After(IndexSnapshot index, ConversationTurn previous)
    {
        if (previous.Citations is not { Count: > 0 } cited)
            return null;
        var last = cited.MaxBy(c => c.End)!;
        if (index.Find(last.SourceId) is not { } article)
            return null;

        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        var following = article.Sentences
            .Where(s => s.Start >= last.End && kinds[s.Paragraph] == ParagraphKind.Body)
            .Take(2)
            .ToList();
        if (following.Count == 0)
            return new Answer(string.Empty, false, $"That was the end of “{article.Title}”.", []);

        var citations = following
            .Select((s, i) => new Citation(i + 1, article.Id, article.Title, s.Paragraph, s.Text, s.Start, s.End))
            .ToList();
        var text = "Next, the article says: " + string.Join(" ", citations.Select(c => $"“{c.Quote}” [{c.Number}]"));
        return new Answer(string.Empty, true, text, citations);
    }

    [GeneratedRegex(@"^\W*(and )?(then|next|go on|continue|keep going|what next|what('s| is| was| happened| did \w+ (say|do|write)) (next|after that|then)|what came next|and after that|what else did \w+ say)\W*$")]
    private static partial Regex ContinuationQuestion();
}
