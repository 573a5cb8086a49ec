using System.Text;

namespace NewsBot.Ingestion;

/// <summary>
/// The only edits the cleaner makes to words: whitespace becomes plain spaces, runs collapse, ends are
/// trimmed, and invisible formatting characters go. Letters, punctuation and quote marks stay as they are.
/// </summary>
internal static class Whitespace
{
    public static string Normalize(ReadOnlySpan<char> line)
    {
        var builder = new StringBuilder(line.Length);
        var pendingSpace = false;
        foreach (var c in line)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (IsInvisible(c) || SourceDecoder.IsDisallowedControl(c))
                continue;

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Zero-width space, byte order mark and soft hyphen: invisible, yet they break quote matching.</summary>
    private static bool IsInvisible(char c) => c is '\u200B' or '\uFEFF' or '\u00AD' or '\u2060';

    /// <summary>Splits text into lines on any line break convention.</summary>
    public static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                count++;
            }
        }

        return count;
    }
}
