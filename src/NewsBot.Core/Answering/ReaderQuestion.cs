using System.Text.RegularExpressions;
using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>
/// The question as the reader reads it, its typos written the way the candidates spell the word meant. The reader learned
/// that a question naming something its sentence does not is unanswerable, so "What is Tuscon's largest park?" refused the
/// sentence about Tucson's largest park that retrieval had found, and one typo in a common word ("How many of Kaspersky
/// Lab's cutomers are businesses?") refused about a third of the answerable questions of the team's news sets.
/// </summary>
/// <remarks>
/// A name (a capitalised word after the first) is written as a candidate spells the name retrieval read it as
/// (<see cref="QuestionAnalysis.Respellings"/>). Any other word of five letters or more that the reader's vocabulary lacks
/// whole (<see cref="IAnswerReader.KnowsWord"/>) is written as the candidates' nearest word within one edit (two from eight
/// letters; a swap of neighbours is one): "invittaion" → "invitation". Retrieval's respelling compares stems, which a typo
/// changes ("invittaion" stems whole, "invitation" to "invit"), and took "continent", a word no article holds, for "contain";
/// the reader knows "continent", so it stays as typed. A word with no candidate word near it stays as typed too.
/// </remarks>
internal static partial class ReaderQuestion
{
    public static string Of(string question, QuestionAnalysis analysis, IReadOnlyList<ReaderCandidate> candidates, Func<string, bool> knowsWord)
    {
        question = WithoutArticleReference(question);
        var respellings = analysis.Respellings;
        Dictionary<string, string>? spellings = null;
        List<(string Word, string Lower)>? words = null;
        return Word().Replace(question, typed =>
        {
            if (typed.Index > 0 && char.IsUpper(typed.Value[0]))
            {
                if (respellings is not { Count: > 0 } || TermAnalyzer.Shared.Terms(typed.Value) is not [var term] || !respellings.TryGetValue(term, out var meant))
                    return typed.Value;
                spellings ??= Spellings([.. respellings.Values], candidates);
                return spellings.GetValueOrDefault(meant, typed.Value);
            }

            if (typed.Value.Length < EditDistance.MinTypoLength || knowsWord(typed.Value))
                return typed.Value;
            words ??= [.. candidates.SelectMany(c => (string[])[c.Sentence, c.Previous, c.Title])
                .SelectMany(t => Word().Matches(t).Select(m => (m.Value, m.Value.ToLowerInvariant())))];
            return Nearest(typed.Value, words) ?? typed.Value;
        });
    }

    /// <summary>The first of <paramref name="words"/> nearest to <paramref name="typed"/>, ignoring case, within the typo bound; else null.</summary>
    private static string? Nearest(string typed, List<(string Word, string Lower)> words)
    {
        var lower = typed.ToLowerInvariant();
        string? nearest = null;
        var nearestDistance = EditDistance.TypoBound(typed.Length) + 1;
        foreach (var (word, wordLower) in words)
        {
            var distance = EditDistance.Within(lower, wordLower, nearestDistance - 1);
            if (distance < nearestDistance)
                (nearest, nearestDistance) = (word, distance);
        }

        return nearest;
    }

    /// <summary>
    /// The question without the words that point at the article rather than at its content, which no sentence holds and
    /// the reader, trained on questions that never name their passage, reads as a detail missing from every sentence:
    /// "According to the piece, which countries were behind Stuxnet?" is read as "Which countries were behind Stuxnet?",
    /// and "What does the article say about Davos?" (or "What do you think about Davos?") as "What is said about Davos?".
    /// </summary>
    internal static string WithoutArticleReference(string question)
    {
        if ((TopicRequest.ArticleSaysAbout(question) ?? Attribution.TopicOfTheBotsView(question)) is { } topic)
            return $"What is said about {topic}?";
        var rest = LeadingReference().Replace(question, "", 1);
        if (rest.Length < question.Length && rest.Length > 0)
            rest = char.ToUpperInvariant(rest[0]) + rest[1..];
        var stripped = TrailingReference().Replace(rest, "", 1);
        return stripped.Length == question.Length || stripped.Length == 0 ? question : stripped;
    }

    private const string TheArticle = ArticleWords.TheArticle;

    [GeneratedRegex(@"^\W*(?:according to|in|from) (?:" + TheArticle + @")\s*,\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingReference();

    // "Who led it, in the article?" but not "What town is in the story?", whose "in the story" may be the question's own.
    [GeneratedRegex(@"(?:,\s*(?:according to|in|from)|\s+according to) (?:" + TheArticle + @")(?=[\s?.!]*$)", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingReference();

    /// <summary>For each term meant, the first word of the candidates (sentence, previous sentence, title) that is that term.</summary>
    private static Dictionary<string, string> Spellings(HashSet<string> meant, IReadOnlyList<ReaderCandidate> candidates)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            foreach (var text in (string[])[candidate.Sentence, candidate.Previous, candidate.Title])
            {
                foreach (Match word in Word().Matches(text))
                {
                    if (TermAnalyzer.Shared.Terms(word.Value) is [var term] && meant.Contains(term))
                        found.TryAdd(term, word.Value);
                    if (found.Count == meant.Count)
                        return found;
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}]*")]
    private static partial Regex Word();
}
