using System.Text.RegularExpressions;
using NewsBot.Answering;

namespace NewsBot.Host.Evaluation;

/// <summary>How one answer scored.</summary>
public sealed record EvalOutcome(
    EvalQuestion Question,
    Answer? Answer,
    double ElapsedMs,
    bool Supported,
    bool FirstCitationCorrect,
    bool Refused,
    bool Verbatim,
    string? Error)
{
    /// <summary>
    /// The reply led with a short answer that is right: it overlaps a gold answer (token F1 at least 0.5, as SQuAD scores
    /// short answers) or lies inside a gold evidence phrase (the article format's gold is passages, not short answers).
    /// </summary>
    public bool ShortAnswerRight { get; init; }

    /// <summary>On a multiple-choice question, <see cref="ChoiceJudge"/>'s credit (0 to 1); null elsewhere.</summary>
    public double? ChoiceCredit { get; init; }
}

/// <summary>
/// The scoring rules of the shared eval README: support counts a gold phrase inside one of the first two
/// quotes when that quote is sentence-sized (at most 1.5 × the source sentence holding the answer + 30
/// characters); refusal counts <c>answered: false</c> with no citations on unanswerable questions.
/// </summary>
public static partial class EvalScorer
{
    public static EvalOutcome Score(EvalQuestion question, Answer answer, double elapsedMs, bool caseInsensitive, Func<string, string?> sourceText)
    {
        var quotes = answer.Citations.Select(c => c.Quote).ToList();
        var verbatim = answer.Citations.All(c => sourceText(c.SourceId) is { } text && Fold(text, false).Contains(Fold(c.Quote, false), StringComparison.Ordinal));
        var choiceCredit = ChoiceJudge.Credit(question, answer);
        if (!question.Answerable)
        {
            var refused = !answer.Answered && answer.Citations.Count == 0;
            return new EvalOutcome(question, answer, elapsedMs, false, false, refused, verbatim, null) { ChoiceCredit = choiceCredit };
        }

        var supported = quotes.Take(2).Any(q => Supports(question, q, answer, caseInsensitive, sourceText));
        var first = quotes.Take(1).Any(q => Supports(question, q, answer, caseInsensitive, sourceText));
        return new EvalOutcome(question, answer, elapsedMs, supported, first, false, verbatim, null)
        {
            ShortAnswerRight = answer.ShortAnswer is { } shortAnswer && question.Gold.Any(g => Matches(shortAnswer.Text, g)),
            ChoiceCredit = choiceCredit,
        };
    }

    /// <summary>Token F1 of at least 0.5 against <paramref name="gold"/>, or wholly inside it (words compared lower-cased).</summary>
    internal static bool Matches(string shortAnswer, string gold)
    {
        var said = Words(shortAnswer);
        var expected = Words(gold);
        if (said.Count == 0 || expected.Count == 0)
            return false;
        if (Fold(gold, true).Contains(Fold(shortAnswer, true), StringComparison.Ordinal))
            return true;
        var left = expected.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var word in said)
        {
            if (left.TryGetValue(word, out var n) && n > 0)
            {
                left[word] = n - 1;
                common++;
            }
        }

        return common > 0 && 2.0 * common / (said.Count + expected.Count) >= 0.5;
    }

    private static List<string> Words(string text) =>
        [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w is not ("a" or "an" or "the"))];

    private static bool Supports(EvalQuestion question, string quote, Answer answer, bool caseInsensitive, Func<string, string?> sourceText)
    {
        var foldedQuote = Fold(quote, caseInsensitive);
        for (var g = 0; g < question.Gold.Count; g++)
        {
            var gold = question.Gold[g];
            if (!foldedQuote.Contains(Fold(gold, caseInsensitive), StringComparison.Ordinal))
                continue;
            var holding = HoldingSentenceLength(question, g, answer, sourceText);
            if (quote.Length <= (1.5 * holding) + 30)
                return true;
        }

        return false;
    }

    /// <summary>Length of the source sentence(s) holding the gold answer, split by the README's rule.</summary>
    private static int HoldingSentenceLength(EvalQuestion question, int gold, Answer answer, Func<string, string?> sourceText)
    {
        var text = question.ContextId is not null ? sourceText(question.ContextId) : answer.Citations.Select(c => sourceText(c.SourceId)).FirstOrDefault(t => t is not null);
        if (text is null)
            return 0;
        var start = gold < question.GoldStarts.Count ? question.GoldStarts[gold] : IndexOfFolded(text, question.Gold[gold]);
        if (start < 0)
            return 0;
        var end = start + question.Gold[gold].Length;
        var article = question.ContextId is null;
        var length = 0;
        foreach (var (s, e) in Sentences(text, article))
        {
            if (e > start && s < end)
                length += e - s;
        }

        return length;
    }

    internal static IEnumerable<(int Start, int End)> Sentences(string text, bool article)
    {
        var boundary = article ? ArticleBoundary() : Boundary();
        var start = 0;
        foreach (Match m in boundary.Matches(text))
        {
            yield return (start, m.Index);
            start = m.Index + m.Length;
        }

        yield return (start, text.Length);
    }

    private static int IndexOfFolded(string text, string phrase) =>
        QuoteLocator.TryLocate(text, phrase, out var start, out _) ? start : -1;

    public static string Fold(string text, bool caseInsensitive)
    {
        var folded = Whitespace().Replace(text, " ").Trim();
        return caseInsensitive ? folded.ToLowerInvariant() : folded;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z""“‘'])")]
    private static partial Regex Boundary();

    [GeneratedRegex(@"(?<=[.!?”])\s+(?=[A-Z""“‘'])")]
    private static partial Regex ArticleBoundary();
}
