using System.Text.RegularExpressions;
using NewsBot.Answering;

namespace NewsBot.Chat;

/// <summary>
/// Offline resolution of what a follow-up points back at, where the previous question leaves one reading: "where is he
/// going?" after "Who is Netanyahu?" reads "where is Netanyahu going?", and "what about the US?" after "What did the PMO
/// say?" reads "What did the US say?". The reader was trained on questions that stand alone; given the follow-up with the
/// previous question in brackets, it read "he" as a detail no sentence names, and refused.
/// </summary>
/// <remarks>
/// Names are runs of capitalised words after a question's first word. Where the previous question names several (who is
/// "he" in "Did Netanyahu meet Kaspersky?"), nothing is resolved and the caller carries the previous question instead.
/// </remarks>
internal static partial class FollowUpReferences
{
    private const int MaxSubstituteWords = 6;

    /// <summary>
    /// The follow-up with the name it points at written out, or null where the previous question does not settle it.
    /// <see cref="Resolution.StandsAlone"/> is false where another reference remains ("why did he do it?"), so the caller still
    /// carries the previous question along.
    /// </summary>
    /// <param name="question">The follow-up as typed.</param>
    /// <param name="previous">The question the previous turn answered, standalone.</param>
    /// <param name="previousShortAnswer">The short answer the previous turn led with, if any: "who" questions name a person there.</param>
    public static Resolution? Resolve(string question, string previous, string? previousShortAnswer) =>
        WithNameSwapped(question, previous) is { } swapped ? new Resolution(swapped, StandsAlone: true)
        : WithPronounNamed(question, previous, previousShortAnswer) is { } named ? new Resolution(named, !Unresolved().IsMatch(named))
        : null;

    public sealed record Resolution(string Question, bool StandsAlone);

    /// <summary>
    /// For a question refused with nothing said before it, the reply when a pronoun in it is why: "when did it happen?" or
    /// "what did he say?" as a first message point at something the conversation never named, and "The article doesn't
    /// say" would blame the article. Null when the question names something itself or holds no such pronoun.
    /// </summary>
    public static string? AskWhatIsMeant(string question)
    {
        if (StandalonePronoun().Match(question) is not { Success: true } pronoun || NamesSomething(question))
            return null;
        var word = QuoteMarks.Wrap(pronoun.Value.ToLowerInvariant());
        return pronoun.Groups["thing"].Success
            ? $"I don't know what {word} refers to here — ask again naming it."
            : $"I don't know who {word} is here — ask again with the name.";
    }

    [GeneratedRegex(@"\b(?:he|she|him|his|her|hers|they|them|their|(?<thing>it|its))\b", RegexOptions.IgnoreCase)]
    private static partial Regex StandalonePronoun();

    /// <summary>Whether the question names someone or something: a run of capitalised words after its first word ("the PMO").</summary>
    public static bool NamesSomething(string question) => Names(question).Count > 0;

    /// <summary>"what about the US?", "and Norton?": the previous question asked again with its one name swapped for the new one.</summary>
    private static string? WithNameSwapped(string question, string previous)
    {
        if (AskedAbout().Match(question.Trim()) is not { Success: true } about)
            return null;
        var substitute = about.Groups["subject"].Value;
        if (!NameOnly().IsMatch(substitute) || Words().Count(substitute) > MaxSubstituteWords || Names(previous) is not [var name])
            return null;
        return string.Concat(previous.AsSpan(0, name.Start), substitute, previous.AsSpan(name.End));
    }

    [GeneratedRegex(@"^(?:and |but |so )?(?:what about|how about|what of|and) (?<subject>.+?)[\s?.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex AskedAbout();

    // A name and nothing else ("the US", "Eugene Kaspersky", "the New York Times"): "and what did Netanyahu say?" is a
    // question of its own, not a name to put into the previous one.
    [GeneratedRegex(@"^(?:(?:the|a|an)\s+)?\p{Lu}[\p{L}\p{M}\-’'&.]*(?:\s+(?:(?:of|de|del|von|van|al|bin|the|and)\s+)?\p{Lu}[\p{L}\p{M}\-’'&.]*)*$")]
    private static partial Regex NameOnly();

    /// <summary>
    /// "where is he going?", "what did she say?": the question with its first personal pronoun replaced by the one name it can
    /// mean. "it" and "that" are left alone: after "Did the US ban Kaspersky?", "when did it happen?" means the ban.
    /// </summary>
    private static string? WithPronounNamed(string question, string previous, string? previousShortAnswer)
    {
        if (PersonalPronoun().Match(question) is not { Success: true } pronoun)
            return null;
        var meant = ShortAnswerName(previous, previousShortAnswer) ?? OnlyPersonName(previous);
        if (meant is null)
            return null;
        var possessive = pronoun.Value.ToLowerInvariant() is "his" or "hers"
                         || (pronoun.Value.Equals("her", StringComparison.OrdinalIgnoreCase) && FollowedByNoun(question, pronoun));
        var replacement = possessive ? meant + "’s" : meant;
        if (pronoun.Index == 0)
            replacement = char.ToUpperInvariant(replacement[0]) + replacement[1..];
        return string.Concat(question.AsSpan(0, pronoun.Index), replacement, question.AsSpan(pronoun.Index + pronoun.Length));
    }

    /// <summary>"Who turned down the meeting?" answered "Benjamin Netanyahu": "why did he?" asks about the person the answer named.</summary>
    private static string? ShortAnswerName(string previous, string? shortAnswer) =>
        shortAnswer is not null && WhoQuestion().IsMatch(previous) && Words().Count(shortAnswer) <= MaxSubstituteWords
            && CapitalisedWord().IsMatch(shortAnswer)
            ? shortAnswer.Trim().TrimEnd('.', ',', ';', ':')
            : null;

    /// <summary>
    /// The one name of the previous question "he" or "she" can mean, one that is not an acronym or an organisation
    /// ("the PMO", "Kaspersky Lab"); null where that leaves none or several.
    /// </summary>
    private static string? OnlyPersonName(string previous) =>
        Names(previous).Where(PersonLike).ToList() is [var only] ? only.Text : null;

    /// <summary>Not an acronym, an organisation, or a place ("in Davos", "to Israel"; but "in Kaspersky's network" names an owner).</summary>
    private static bool PersonLike(Name name) =>
        !Acronym().IsMatch(name.Text) && !Words().Matches(name.Text).Any(word => OrganisationWords.Contains(word.Value))
        && !(name.AfterPlacePreposition && !name.Possessive);

    private static readonly HashSet<string> OrganisationWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "Lab", "Labs", "Office", "Ministry", "Department", "Agency", "Forum", "Times", "Post", "News", "Inc", "Corp", "Company",
        "Group", "Party", "Council", "Bank", "University", "Government", "Court", "Committee", "Association", "Union",
        "Organization", "Organisation", "Service", "Services", "Security", "Intelligence", "Force", "Forces", "Army", "Navy",
        "House", "Senate", "Congress", "Parliament", "Fund", "Foundation", "Institute", "Commission", "Board", "Authority",
        "League", "Club", "Team", "Church", "School", "College", "Hospital", "Airlines", "Journal", "States", "Kingdom",
        "Republic", "Nations", "Minister's", "Minister’s",
    };

    /// <summary>A name's span in a question: its capitalised words, with "the" before them, without a possessive "’s".</summary>
    private readonly record struct Name(int Start, int End, string Text, bool Possessive, bool AfterPlacePreposition);

    private static List<Name> Names(string question)
    {
        var names = new List<Name>();
        foreach (Match run in NameRun().Matches(question))
        {
            var start = run.Index;
            var text = run.Value;
            if (start == FirstWordStart(question))
            {
                // The first word is capitalised as the start of a sentence, not as a name.
                var rest = FirstWordAndSpace().Match(text);
                if (rest.Length == text.Length)
                    continue;
                (start, text) = (start + rest.Length, text[rest.Length..]);
            }

            var owner = Possessive().IsMatch(text);
            text = Possessive().Replace(text, "");
            var end = start + text.Length;
            if (Article().Match(question[..start]) is { Success: true } article)
                (start, text) = (article.Index, string.Concat(question.AsSpan(article.Index, article.Length), text));
            names.Add(new Name(start, end, text, owner, PlacePreposition().IsMatch(question[..start])));
        }

        return names;
    }

    private static int FirstWordStart(string text) => Words().Match(text) is { Success: true } first ? first.Index : -1;

    private static bool FollowedByNoun(string question, Match pronoun) =>
        Words().Match(question, pronoun.Index + pronoun.Length) is { Success: true } next
        && !NotANoun.Contains(next.Value) && question.AsSpan(pronoun.Index + pronoun.Length, next.Index - pronoun.Index - pronoun.Length).IsWhiteSpace();

    private static readonly HashSet<string> NotANoun = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "but", "to", "in", "on", "at", "about", "for", "with", "from", "by", "of", "that", "when", "after",
        "before", "as", "if", "so", "then", "again", "now", "say", "said", "tell", "told", "do", "did",
    };

    // Not "they": it as often means people the question named by a common noun ("farmers", "the hackers").
    [GeneratedRegex(@"\b(?:he|she|him|his|her|hers)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PersonalPronoun();

    // A reference a name does not settle: in "why did he do it?" the previous question still says what "it" is. "that"
    // only where it stands for something ("why did he say that?"), not where it opens a clause ("did he say that …").
    [GeneratedRegex(@"\b(?:it|its|these|those|there)\b|\b(?:this|that)(?=\s*(?:[?.!]|$|\s(?:is|was)\b))", RegexOptions.IgnoreCase)]
    private static partial Regex Unresolved();

    [GeneratedRegex(@"^\W*(?:who|whom|whose)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WhoQuestion();

    [GeneratedRegex(@"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Col|Capt)\.\s+)?\p{Lu}[\p{L}\p{M}\-’'&]*(?:\s+(?:(?:of|de|del|von|van|al|bin|the)\s+)?\p{Lu}[\p{L}\p{M}\-’'&]*)*")]
    private static partial Regex NameRun();

    [GeneratedRegex(@"^\S+\s*")]
    private static partial Regex FirstWordAndSpace();

    [GeneratedRegex(@"[’']s$|(?<=s)[’']$")]
    private static partial Regex Possessive();

    [GeneratedRegex(@"\bthe\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex Article();

    [GeneratedRegex(@"\b(?:in|at|to|from|into|near|across|throughout|inside|outside)\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex PlacePreposition();

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\p{M}]")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex(@"^(?:[Tt]he\s+)?\p{Lu}{2,}$")]
    private static partial Regex Acronym();

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}’'\-]*")]
    private static partial Regex Words();
}
