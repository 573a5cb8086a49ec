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
        return Task.FromResult($"{question} ({Topic(history[^1].Question)})");
    }

    /// <summary>
    /// The question a turn was about. Memory keeps the condensed form, so after a follow-up that is "and why? (topic)":
    /// carrying it whole would nest every later follow-up one level deeper ("and then? (and why? (topic))"), a query
    /// that grows with each turn and drifts towards the follow-ups' own words.
    /// </summary>
    private static string Topic(string previous) =>
        Carried().Match(previous) is { Success: true } carried && IsFollowUp(carried.Groups["asked"].Value)
            ? carried.Groups["topic"].Value
            : previous;

    [GeneratedRegex(@"^(?<asked>.+?) \((?<topic>.+)\)$", RegexOptions.Singleline)]
    private static partial Regex Carried();

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
