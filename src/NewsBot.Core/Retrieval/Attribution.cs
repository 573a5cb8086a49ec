using System.Text.RegularExpressions;

namespace NewsBot.Retrieval;

/// <summary>
/// "What did X say?" is answered only by words the article attributes to X: quoting someone else's words
/// as X's would be the worst mistake a news bot can make.
/// </summary>
public static partial class Attribution
{
    /// <summary>The words naming whoever the question asks about, or null when it asks what nobody in particular said.</summary>
    /// <remarks>
    /// "What does the article say about the NSA?" asks what the text says, not whose words: the article, story or piece (or
    /// its writer) is not a speaker whose words a sentence must report, and neither is the bot asked for its view ("What do
    /// you think about Kaspersky?" was refused because "no words are attributed to you").
    /// </remarks>
    public static string? SpeakerOf(string question)
    {
        var match = SpeakerQuestion().Match(question);
        return match.Success && !TheArticleItself().IsMatch(match.Groups["speaker"].Value) && !BotsViewAsked().IsMatch(question)
            ? match.Groups["speaker"].Value
            : null;
    }

    /// <summary>
    /// For "What do you think about X?", "what's your take on X?": X. The bot has no view of its own; what the article says
    /// about X is what it can give, and the chat engine's reply says so. Null for any other question.
    /// </summary>
    public static string? TopicOfTheBotsView(string question) =>
        BotsViewAsked().Match(question) is { Success: true } asked ? asked.Groups["topic"].Value : null;

    [GeneratedRegex(@"^\W*(?:what do (?:you|u) (?:think|make|reckon) (?:about|of)|what(?:'s|’s| is) your (?:opinion|view|take|verdict|thinking) (?:on|of|about)|how do (?:you|u) feel about|your (?:opinion|view|take|thoughts) (?:on|of|about)) (?<topic>.+?)[\s?.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex BotsViewAsked();

    /// <summary>
    /// Whether the sentence reports words of the speaker: a verb of saying with the speaker named just before it
    /// ("the PMO said", "Kaspersky, the CEO, wrote") or just after it ("said Netanyahu", "according to the Times",
    /// "…, said the mayor."), or with a pronoun ("he wrote") when the sentence before names the speaker.
    /// </summary>
    public static bool Attributes(QuestionAnalysis speaker, string sentence, string? previous)
    {
        foreach (Match verb in SayingVerb().Matches(sentence))
        {
            var before = Math.Max(0, verb.Index - NameBefore);
            var rest = sentence[(verb.Index + verb.Length)..];
            if (Names(speaker, sentence[before..verb.Index]) || SpeakerRightAfter(rest) is { } after && Names(speaker, after))
                return true;
        }

        return previous is not null && PronounSays().IsMatch(sentence) && NamesAsSubject(speaker, previous);
    }

    /// <summary>
    /// Whether the text names the speaker right before a verb ("Eugene Kaspersky offered …"), so that a "he" in
    /// the next sentence is the speaker rather than someone merely mentioned ("… offered to meet Netanyahu").
    /// </summary>
    private static bool NamesAsSubject(QuestionAnalysis speaker, string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length - 1; i++)
        {
            if (!Names(speaker, words[i]) || words[i].EndsWith(','))
                continue;
            var next = i + 1;
            while (next < words.Length && char.IsUpper(words[next][0]))
                next++;
            if (next < words.Length && VerbLike().IsMatch(words[next]))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Whoever is named right after a verb of saying: a capitalised name ("said Eugene Kaspersky"), or a described person
    /// whose description ends the clause ("…, said the mayor." "…, said a spokeswoman for the ministry,"). A description
    /// running on is the subject of the reported words instead ("said the company expected growth"), hence the stop
    /// at a clause's end and no finite verb inside.
    /// </summary>
    private static string? SpeakerRightAfter(string rest)
    {
        var name = NameRightAfter().Match(rest);
        if (name.Success)
            return name.Value;
        var described = DescribedSpeakerRightAfter().Match(rest);
        if (!described.Success)
            return null;
        // The first word may be a participle describing the person ("said the retired general").
        var words = described.Groups["description"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return AuxiliaryVerb().IsMatch(words[0]) || words.Skip(1).Any(word => AuxiliaryVerb().IsMatch(word) || PastTense().IsMatch(word))
            ? null
            : described.Value;
    }

    // How far before the verb the speaker may be named, in characters: room for a title or an apposition
    // ("Eugene Kaspersky, CEO of Kaspersky Lab, said"). After the verb only the name itself counts ("said Eugene Kaspersky").
    private const int NameBefore = 60;

    private static bool Names(QuestionAnalysis speaker, string text)
    {
        var terms = TermAnalyzer.Shared.Terms(text);
        return speaker.Terms.Any(term => NameMatching.Meets(speaker, term, terms, text));
    }

    [GeneratedRegex(@"^\W*(?:what|how) (?:did|does|do|has|have|had|will|would|is|was) (?<speaker>.+?) (?:say|said|saying|tell|write|wrote|claim|state|argue|reply|respond|answer|react|think|believe|mean|announce|warn|add|note)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SpeakerQuestion();

    [GeneratedRegex("^(?:(?:" + ArticleWords.Determiners + "|its|their) (?:" + ArticleWords.Nouns + "|news|page|author|writer|journalist|reporter)s?|it|this|that)$", RegexOptions.IgnoreCase)]
    private static partial Regex TheArticleItself();

    [GeneratedRegex(@"\b(?:say|says|said|saying|tell|tells|told|write|writes|wrote|written|state|states|stated|claim|claims|claimed|add|adds|added|note|notes|noted|argue|argues|argued|insist|insists|insisted|warn|warns|warned|explain|explains|explained|announce|announces|announced|report|reports|reported|respond|responds|responded|reply|replies|replied|confirm|confirms|confirmed|deny|denies|denied|suggest|suggests|suggested|acknowledge|acknowledges|acknowledged|admit|admits|admitted|believe|believes|believed|describe|describes|described|according to|pointed out|points out)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SayingVerb();

    [GeneratedRegex(@"^\s*(?:the\s+)?(?:\p{Lu}[\p{L}’'\-.]*\s*)+")]
    private static partial Regex NameRightAfter();

    [GeneratedRegex(@"^\s*(?:the|a|an|his|her|their|its|our|one)\s+(?<description>(?:[\p{L}’'\-]+\s+){0,3}[\p{L}’'\-]+)\s*(?=[,.;:!?”""’)]|$)")]
    private static partial Regex DescribedSpeakerRightAfter();

    [GeneratedRegex(@"^(?:would|will|was|were|is|are|had|has|have|must|could|should|can|may|might|did|does|do)$")]
    private static partial Regex AuxiliaryVerb();

    [GeneratedRegex(@"^\p{Ll}+ed$")]
    private static partial Regex PastTense();

    [GeneratedRegex(@"^(?:\p{Ll}+ed|\p{Ll}+s|has|had|was|is|will|would|wrote|told|said|sent|made|gave|took|met|went|came|began|did)\W*$")]
    private static partial Regex VerbLike();

    [GeneratedRegex(@"\b(?:he|she|they|it|we|I)\s+(?:\w+\s+)?(?:said|says|wrote|writes|told|added|adds|noted|argued|insisted|warned|explained|stated|claimed|replied|responded)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PronounSays();
}
