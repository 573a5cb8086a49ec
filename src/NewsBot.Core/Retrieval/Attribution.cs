using System.Text.RegularExpressions;

namespace NewsBot.Retrieval;

/// <summary>
/// "What did X say?" is answered only by words the article attributes to X: quoting someone else's words
/// as X's would be the worst mistake a news bot can make.
/// </summary>
public static partial class Attribution
{
    /// <summary>The words naming whoever the question asks about, or null when it asks what nobody in particular said.</summary>
    public static string? SpeakerOf(string question)
    {
        var match = SpeakerQuestion().Match(question);
        return match.Success ? match.Groups["speaker"].Value : null;
    }

    /// <summary>
    /// Whether the sentence reports words of the speaker: a verb of saying with the speaker named just before it
    /// ("the PMO said", "Kaspersky, the CEO, wrote") or just after it ("said Netanyahu", "according to the Times"),
    /// or with a pronoun ("he wrote") when the sentence before names the speaker.
    /// </summary>
    public static bool Attributes(QuestionAnalysis speaker, string sentence, string? previous)
    {
        foreach (Match verb in SayingVerb().Matches(sentence))
        {
            var before = Math.Max(0, verb.Index - NameBefore);
            var after = NameRightAfter().Match(sentence[(verb.Index + verb.Length)..]);
            if (Names(speaker, sentence[before..verb.Index]) || (after.Success && Names(speaker, after.Value)))
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

    [GeneratedRegex(@"\b(?:say|says|said|saying|tell|tells|told|write|writes|wrote|written|state|states|stated|claim|claims|claimed|add|adds|added|note|notes|noted|argue|argues|argued|insist|insists|insisted|warn|warns|warned|explain|explains|explained|announce|announces|announced|report|reports|reported|respond|responds|responded|reply|replies|replied|confirm|confirms|confirmed|deny|denies|denied|suggest|suggests|suggested|acknowledge|acknowledges|acknowledged|admit|admits|admitted|believe|believes|believed|describe|describes|described|according to|pointed out|points out)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SayingVerb();

    [GeneratedRegex(@"^\s*(?:the\s+)?(?:\p{Lu}[\p{L}’'\-.]*\s*)+")]
    private static partial Regex NameRightAfter();

    [GeneratedRegex(@"^(?:\p{Ll}+ed|\p{Ll}+s|has|had|was|is|will|would|wrote|told|said|sent|made|gave|took|met|went|came|began|did)\W*$")]
    private static partial Regex VerbLike();

    [GeneratedRegex(@"\b(?:he|she|they|it|we|I)\s+(?:\w+\s+)?(?:said|says|wrote|writes|told|added|adds|noted|argued|insisted|warned|explained|stated|claimed|replied|responded)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PronounSays();
}
