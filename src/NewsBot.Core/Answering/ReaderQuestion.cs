using System.Text.RegularExpressions;
using NewsBot.Retrieval;

namespace NewsBot.Answering;

/// <summary>
/// The question as the reader reads it: each name that retrieval read as another (<see cref="QuestionAnalysis.Respellings"/>,
/// a typo such as "Tuscon") written the way the candidates spell the name meant. The reader learned that a question naming
/// something its sentence does not is unanswerable, so "What is Tuscon's largest park?" refused the sentence about Tucson's
/// largest park that retrieval had found.
/// </summary>
/// <remarks>
/// Only names (capitalised words after the first): a common word no article holds is most often just another word, and
/// retrieval's respelling of "continent" as "contain" would turn the question into nonsense for the reader. A name meant
/// that no candidate holds stays as typed.
/// </remarks>
internal static partial class ReaderQuestion
{
    public static string Of(string question, QuestionAnalysis analysis, IReadOnlyList<ReaderCandidate> candidates)
    {
        question = WithoutArticleReference(question);
        if (analysis.Respellings is not { Count: > 0 } respellings)
            return question;
        Dictionary<string, string>? spellings = null;
        return Word().Replace(question, typed =>
        {
            var name = typed.Index > 0 && char.IsUpper(typed.Value[0]);
            if (!name || TermAnalyzer.Shared.Terms(typed.Value) is not [var term] || !respellings.TryGetValue(term, out var meant))
                return typed.Value;
            spellings ??= Spellings([.. respellings.Values], candidates);
            return spellings.GetValueOrDefault(meant, typed.Value);
        });
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
