using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Retrieval;

namespace NewsBot.Chat;

/// <summary>
/// Offline follow-up resolution: a question that leans on the previous one ("and the Americans?",
/// "what did he say next?") carries the previous question along, so retrieval stays on its topic; a bare "why?" or
/// "when?" asks the previous question again with that word, and a pronoun or "what about X?" the previous question settles
/// is resolved (<see cref="FollowUpReferences"/>). A question that stands on its own is left alone.
/// </summary>
public sealed partial class TopicCarryingCondenser : IQuestionCondenser
{
    public Task<string> CondenseAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken = default)
    {
        if (history.Count == 0 || !IsFollowUp(question))
            return Task.FromResult(question);
        var previous = history[^1];
        var topic = Topic(previous.Question);
        // "who wrote it?", "summarize it" or "what's the headline?" has no topic to carry, and carried in brackets it made
        // every follow-up a question about the byline again ("why did he decline? (who wrote it?)").
        if (WholeArticleRequest.Of(topic) is not null)
            return Task.FromResult(question);
        var shortAnswer = topic == previous.Question ? previous.ShortAnswer : null;
        if (AskedAgain(question, topic) is { } asked)
            return Task.FromResult(asked);
        return Task.FromResult(FollowUpReferences.Resolve(question, topic, shortAnswer) switch
        {
            { StandsAlone: true } resolved => resolved.Question,
            { } named => $"{named.Question} ({topic})",
            null => $"{question} ({topic})",
        });
    }


    /// <summary>
    /// "why?", "and when?", "how come?" after "Did the US ban Kaspersky?" or "What did the PMO decline?": the previous
    /// question asked again with the new question word ("Why did the US ban Kaspersky?"). Carried along in brackets, the
    /// reader read "why?" alone, which no sentence answers, and refused.
    /// </summary>
    private static string? AskedAgain(string question, string topic)
    {
        if (BareQuestionWord().Match(question.Trim().ToLowerInvariant()) is not { Success: true } bare || WhoOrWhatIs().IsMatch(topic))
            return null;
        var word = bare.Groups["word"].Value is "how come" or "how so" ? "why" : bare.Groups["word"].Value;
        var asked = char.ToUpperInvariant(word[0]) + word[1..];
        if (LeadingQuestionWord().Match(topic) is { Success: true } lead)
            return $"{asked} {topic[lead.Length..].TrimStart()}";
        return QuestionAnalysis.AsksYesNoQuestion(topic) ? $"{asked} {char.ToLowerInvariant(topic[0])}{topic[1..]}" : null;
    }

    // "who is he?" asks who someone is, not the previous question again.
    [GeneratedRegex(@"^(?:and |but |so |ok,? )?(?:(?<word>why|when|where|how come|how so|how long|how often|how|since when|(?:by|with|to|from|for) whom)(?: (?:is|was|did|does) (?:that|it|he|she|they))?|(?<word>who))(?: exactly)?\W*$")]
    private static partial Regex BareQuestionWord();

    // "Who is Kaspersky?", "What was banned?": the question word cannot be swapped for "why" or "when".
    [GeneratedRegex(@"^\W*(?:who|what)\s+(?:is|was|are|were)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WhoOrWhatIs();

    // The question word a previous question opens with, up to its auxiliary verb ("how many people did", "which firm was"):
    // a question without one asks about its subject ("How many people use it?"), and "why" cannot take its place.
    [GeneratedRegex(@"^\W*(?:why|when|where|who|whom|what|how|since when|(?:by|with|to|from|for) whom|(?:which|whose|what|how (?:many|much|long|often|far|old|big)) \p{L}+)\s+(?=(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingQuestionWord();

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

    /// <summary>
    /// Whether a fragment names something to ask about, and no one or nothing it refers back to: "how many users?", not "how
    /// many did he hire?" nor "and what else?".
    /// </summary>
    internal static bool AsksOnItsOwn(string question)
    {
        var lower = question.Trim().ToLowerInvariant();
        return !Pronoun().IsMatch(lower) && !Connective().IsMatch(lower) && TermAnalyzer.Shared.Terms(question).Count > 0;
    }

    internal static bool IsFollowUp(string question)
    {
        var lower = question.Trim().ToLowerInvariant();
        // "where does it mention the shelters?", "what does it say about Davos?": "it" is the article, and the topic is named.
        var topic = TopicRequest.Of(question);
        if (topic is not null && TermAnalyzer.Shared.Terms(topic).Count > 0 && !Pronoun().IsMatch(topic.ToLowerInvariant()))
            return false;
        var pronoun = Pronoun().IsMatch(lower);
        // "tell me more about the shelters" opens like "tell me more" but names what it is about.
        if (Connective().IsMatch(lower))
            return pronoun || topic is null || TermAnalyzer.Shared.Terms(topic).Count == 0;
        // One word of content is a fragment ("what year?", "Norton?") unless the question names its own subject around a
        // verb: "what did the PMO say?" ("say" is no search term) after "Who is Eugene Kaspersky?" was read as
        // "what did the pmo say? (who is eugene kaspersky?)" and refused; or asks about a topic it names ("what happened in
        // the storm?", "tell me about Davos"), which after a question about Kaspersky was searched with it in brackets.
        if (TermAnalyzer.Shared.Terms(question).Count <= 1)
            return pronoun || !NamesItsSubject(question, lower);
        return pronoun && !ProperNoun().IsMatch(question.Trim()[1..]);
    }

    private static bool NamesItsSubject(string question, string lower)
    {
        if (TopicRequest.Of(question) is { } topic)
            return TermAnalyzer.Shared.Terms(topic).Count > 0;
        return Auxiliary().IsMatch(lower) && (FollowUpReferences.NamesSomething(question) || SubjectAfterAuxiliary().IsMatch(lower));
    }

    [GeneratedRegex(@"\b(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b")]
    private static partial Regex Auxiliary();

    // "did the pmo say", "does the firm do", "did khodorkovsky say" (names are often typed in lower case): a subject between
    // the auxiliary and its verb; "how many were injured?" has none (a pronoun subject made the question a follow-up already).
    [GeneratedRegex(@"\b(?:did|does|do|has|have|had|can|could|will|would|should) (?:the )?\p{L}+ \p{L}+")]
    private static partial Regex SubjectAfterAuxiliary();

    [GeneratedRegex(@"^(and|but|also|so|then|what about|how about|what else|anything else|and what|why not|tell me more|more)\b")]
    private static partial Regex Connective();

    [GeneratedRegex(@"\b(he|she|they|him|her|his|hers|them|their|it|its|that|this|those|these|there)\b")]
    private static partial Regex Pronoun();

    [GeneratedRegex(@"\b\p{Lu}\p{Ll}+")]
    private static partial Regex ProperNoun();
}
