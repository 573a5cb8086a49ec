using System.Text.RegularExpressions;
using NewsBot.Answering;

namespace NewsBot.Host.Evaluation;

/// <summary>
/// Scores a multiple-choice question (QuAIL's <c>choices</c> and <c>correct_choice</c>) from the bot's reply, as its README
/// asks: most gold answers there are paraphrases or inferences, so a quote rarely contains them word for word. A refusal
/// picks the option that says the text does not tell ("not enough information"); an answer picks the other option most
/// of whose content words the reply (short answer and quotes) holds. Options tied for the most share the credit, as a
/// judge choosing among them at random would; a reply that holds no option's words picks none, so quoting something
/// unrelated earns nothing rather than chance.
/// </summary>
/// <remarks>
/// Lexical, so it undercounts paraphrased evidence and never reads the article itself: a number for comparing engines on
/// the same questions, not an accuracy to quote on its own.
/// </remarks>
public static partial class ChoiceJudge
{
    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "but", "is", "are", "was", "were", "be", "been", "being",
        "it", "its", "this", "that", "these", "those", "with", "by", "at", "from", "as", "into", "about", "than", "then",
        "there", "their", "they", "them", "he", "she", "his", "her", "him", "we", "our", "you", "your", "i", "my", "me", "not",
        "no", "do", "does", "did", "done", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might",
        "must", "so", "such", "very", "more", "most", "some", "any", "all", "what", "which", "who", "whom", "whose", "when",
        "where", "why", "how", "also", "just", "only", "after", "before", "over", "under", "up", "down", "out", "if",
        "because", "while",
    };

    /// <summary>The credit, 0 to 1, for <paramref name="answer"/> (null: the question was rejected, which reads as a refusal); null without choices.</summary>
    public static double? Credit(EvalQuestion question, Answer? answer)
    {
        if (question.Choices.Count == 0 || question.CorrectChoice is not { } correct || correct < 0 || correct >= question.Choices.Count)
            return null;
        var saysNothing = Enumerable.Range(0, question.Choices.Count).Where(i => NotEnoughInformation().IsMatch(question.Choices[i])).ToHashSet();
        if (answer is null || !answer.Answered)
            return saysNothing.Contains(correct) ? 1 : 0;

        var reply = ContentWords(string.Join(' ', answer.Citations.Select(c => c.Quote).Prepend(answer.ShortAnswer?.Text ?? string.Empty)));
        var scores = Enumerable.Range(0, question.Choices.Count)
            .Where(i => !saysNothing.Contains(i))
            .Select(i => (Index: i, Share: Share(ContentWords(question.Choices[i]), reply)))
            .ToList();
        if (scores.Count == 0)
            return 0;
        var best = scores.Max(s => s.Share);
        if (best == 0)
            return 0;
        var tied = scores.Where(s => s.Share == best).Select(s => s.Index).ToList();
        return tied.Contains(correct) ? 1.0 / tied.Count : 0;
    }

    private static double Share(HashSet<string> option, HashSet<string> reply) =>
        option.Count == 0 ? 0 : (double)option.Count(reply.Contains) / option.Count;

    /// <summary>Lower-cased words without function words, possessives or a plural "s", so "sanctions" meets "sanction".</summary>
    /// <remarks>
    /// Not retrieval's <c>TermAnalyzer</c>: its stop list drops the words that frame what a question asks for ("year",
    /// "time", "number", "reason"), and in an answer option those are often the words that tell it from the others
    /// ("About a year" would have no terms at all against "About an hour").
    /// </remarks>
    internal static HashSet<string> ContentWords(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Word().Matches(text.ToLowerInvariant().Replace('’', '\'')))
        {
            var word = m.Value.EndsWith("'s", StringComparison.Ordinal) ? m.Value[..^2] : m.Value.Trim('\'');
            if (word.Length < 2 || FunctionWords.Contains(word))
                continue;
            if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
                word = word[..^1];
            words.Add(word);
        }

        return words;
    }

    [GeneratedRegex(@"\bnot enough information\b|\bcannot be determined\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotEnoughInformation();

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();
}
