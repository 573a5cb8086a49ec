using System.Text.RegularExpressions;

namespace NewsBot.Slack.Messages;

/// <summary>
/// Cuts text into pieces whose escaped length fits a Block Kit limit, on sentence boundaries; only a
/// single sentence longer than the limit is cut between words (or, with no space at all, between characters).
/// </summary>
internal static partial class SentenceSplitter
{
    public static IReadOnlyList<string> Split(string text, int maxEscapedLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEscapedLength, 16);
        var pieces = new List<string>();
        var current = "";
        foreach (var sentence in SentenceEnd().Split(text.Trim()))
        {
            if (sentence.Length == 0)
                continue;
            var joined = current.Length == 0 ? sentence : current + " " + sentence;
            if (Fits(joined, maxEscapedLength))
            {
                current = joined;
                continue;
            }

            if (current.Length > 0)
                pieces.Add(current);
            current = "";
            var parts = SplitLongSentence(sentence, maxEscapedLength);
            pieces.AddRange(parts[..^1]);
            current = parts[^1];
        }

        if (current.Length > 0)
            pieces.Add(current);
        return pieces;
    }

    private static bool Fits(string text, int max) => Mrkdwn.Escape(text).Length <= max;

    /// <summary>Word by word; the last (possibly short) part is returned last so the next sentence can join it.</summary>
    private static List<string> SplitLongSentence(string sentence, int max)
    {
        var parts = new List<string>();
        var current = "";
        foreach (var word in sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var joined = current.Length == 0 ? word : current + " " + word;
            if (Fits(joined, max))
            {
                current = joined;
                continue;
            }

            if (current.Length > 0)
                parts.Add(current);
            current = word;
            while (!Fits(current, max))
            {
                var cut = max / 5; // an all-ampersand word escapes to five times its length
                if (char.IsHighSurrogate(current[cut - 1]))
                    cut--;
                parts.Add(current[..cut]);
                current = current[cut..];
            }
        }

        if (current.Length > 0)
            parts.Add(current);
        return parts;
    }

    /// <summary>Whitespace after terminal punctuation (and any closing quotes or brackets), or a line break.</summary>
    [GeneratedRegex(@"(?<=[.!?…][""'”’)\]]*)\s+|\n+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SentenceEnd();
}
