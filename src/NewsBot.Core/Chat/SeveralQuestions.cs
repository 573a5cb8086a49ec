using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Answering;

namespace NewsBot.Chat;

/// <summary>
/// A chat message asking two or more questions at once: "Why did the PMO decline the meeting? And how many users does
/// Kaspersky have?". Each is answered on its own, in the order asked, and the answers make one reply, with the citations
/// numbered through. Answered as one question, the message got an answer to its last question only.
/// </summary>
internal static partial class SeveralQuestions
{
    /// <summary>The most questions one reply answers; a chat reply stays readable, and each answer costs a reading.</summary>
    public const int MaxAnswered = 3;

    // "And why?", "Really?" lean on what came before: they are part of the message's one question, not a second one.
    private const int MinWords = 3;

    /// <summary>The questions a message asks, in order, when it asks two or more; else null.</summary>
    public static IReadOnlyList<string>? Of(string message)
    {
        var asked = QuestionEnd().Split(message)
            .Select(s => s.Trim())
            .Where(s => s.EndsWith('?') && s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinWords)
            .ToList();
        return asked.Count >= 2 ? asked : null;
    }

    /// <summary>
    /// One reply of the answers, each under its question. A sentence two answers quote is cited once, under the number it
    /// first got. The reply answers when any part does; it has no short answer of its own, as its parts answer different
    /// questions.
    /// </summary>
    /// <param name="asked">How many questions the message asked: past <see cref="MaxAnswered"/>, the reply says the rest went unanswered.</param>
    public static Answer Combine(string message, IReadOnlyList<Answer> answers, int asked)
    {
        var citations = new List<Citation>();
        var text = new StringBuilder();
        foreach (var (answer, position) in answers.Select((a, i) => (a, i + 1)))
        {
            var numbers = new Dictionary<int, int>();
            foreach (var citation in answer.Citations)
            {
                var kept = citations.Find(c => c.SourceId == citation.SourceId && c.Start == citation.Start && c.End == citation.End);
                if (kept is null)
                {
                    kept = citation with { Number = citations.Count + 1 };
                    citations.Add(kept);
                }

                numbers[citation.Number] = kept.Number;
            }

            var body = Marker().Replace(answer.Text, m => numbers.TryGetValue(int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture), out var n)
                ? string.Create(CultureInfo.InvariantCulture, $"[{n}]")
                : m.Value);
            if (text.Length > 0)
                text.Append("\n\n");
            text.Append(CultureInfo.InvariantCulture, $"{position}. {answer.Question}\n{body}");
        }

        if (asked > answers.Count)
            text.Append(CultureInfo.InvariantCulture, $"\n\n(I answered the first {answers.Count} of your {asked} questions; ask the others on their own.)");
        var notes = answers.Select(a => a.Note).OfType<string>().Distinct().ToList();
        return new Answer(message, answers.Any(a => a.Answered), text.ToString(), citations, notes.Count == 0 ? null : string.Join(" ", notes));
    }

    [GeneratedRegex(@"(?<=\?)\s+")]
    private static partial Regex QuestionEnd();

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex Marker();
}
