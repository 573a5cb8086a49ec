using System.Text.RegularExpressions;
using NewsBot.Retrieval;

namespace NewsBot.Chat;

/// <summary>
/// Offline follow-up resolution: a question that leans on the previous one ("and the Americans?",
/// "what did he say next?") carries the previous question along, so retrieval stays on its topic.
/// A question that stands on its own is left alone.
/// </summary>
public sealed partial class TopicCarryingCondenser : IQuestionCondenser
{
    public Task<string> CondenseAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken = default)
    {
        if (history.Count == 0 || !IsFollowUp(question))
            return Task.FromResult(question);
        var previous = history[^1].Question;
        return Task.FromResult($"{question} ({previous})");
    }

    internal static bool IsFollowUp(string question)
    {
        var lower = question.Trim().ToLowerInvariant();
        if (Connective().IsMatch(lower))
            return true;
        var terms = TermAnalyzer.Shared.Terms(question);
        return terms.Count <= 1 || (Pronoun().IsMatch(lower) && !ProperNoun().IsMatch(question.Trim()[1..]));
    }

    [GeneratedRegex(@"^(and|but|also|so|then|what about|how about|what else|anything else|and what|why not|tell me more|more)\b")]
    private static partial Regex Connective();

    [GeneratedRegex(@"\b(he|she|they|him|her|his|hers|them|their|it|its|that|this|those|these|there)\b")]
    private static partial Regex Pronoun();

    [GeneratedRegex(@"\b\p{Lu}\p{Ll}+")]
    private static partial Regex ProperNoun();
}
