using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NewsBot.Answering;

/// <summary>
/// Cleans what people type before it reaches retrieval: terminal escape sequences and control characters go,
/// whitespace folds, and empty or over-long questions are turned back with a message for the person. Anything else,
/// including text that looks like instructions or mass mentions, is simply a question.
/// </summary>
public sealed partial class QuestionGuard(IOptions<AnsweringOptions> options)
{
    public const string UsageHint =
        "Ask me a question about the news articles, for example “Why did the PMO decline the meeting?”, or ask for a summary.";

    /// <summary>The cleaned question text.</summary>
    /// <exception cref="QuestionRejectedException">Empty or too long.</exception>
    public string Clean(string? text)
    {
        var cleaned = Normalize(text);
        if (cleaned.Length == 0)
            throw new QuestionRejectedException(QuestionProblem.Empty, UsageHint);

        var max = options.Value.MaxQuestionLength;
        if (cleaned.Length > max)
        {
            throw new QuestionRejectedException(
                QuestionProblem.TooLong,
                $"Your question is {cleaned.Length} characters long; the limit is {max}. Please ask something shorter.");
        }

        return cleaned;
    }

    internal static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;
        // A question pasted from a terminal can carry colour codes ("\u001B[31m"): dropping only the escape character
        // would leave "[31m" behind as a word the article lacks.
        text = TerminalEscape().Replace(text, string.Empty);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                // A control character stands where a separator may have been, so it becomes a space.
                pendingSpace = builder.Length > 0;
                continue;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.PrivateUse
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.OtherNotAssigned)
                continue;

            if (pendingSpace)
                builder.Append(' ');
            pendingSpace = false;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    /// <summary>ECMA-48 control sequences (ESC [ … final byte) and operating-system commands (ESC ] … BEL or ESC \).</summary>
    [GeneratedRegex(@"\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)")]
    private static partial Regex TerminalEscape();
}
