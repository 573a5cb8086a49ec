namespace NewsBot.Discord.Messages;

/// <summary>Splits text into pieces of at most a given length, preferring paragraph, then sentence, then word boundaries.</summary>
internal static class TextSplitter
{
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > maxLength)
        {
            var cut = FindCut(rest, maxLength);
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
            parts.Add(rest);
        return parts;
    }

    private static int FindCut(string text, int maxLength)
    {
        var window = text.AsSpan(0, maxLength);

        // A cut is worth taking only if it keeps a reasonable share of the window.
        var floor = maxLength / 3;
        var paragraph = window.LastIndexOf("\n\n");
        if (paragraph >= floor)
            return paragraph;

        for (var i = maxLength - 1; i >= floor; i--)
        {
            if (IsSentenceEnd(text, i))
                return i + 1;
        }

        var space = window.LastIndexOfAny(' ', '\n');
        if (space >= floor)
            return space;

        // No boundary at all: cut hard, but never between the halves of a surrogate pair.
        return char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
    }

    /// <summary>Whether position i ends a sentence: terminal punctuation (maybe with closing quotes) followed by whitespace.</summary>
    private static bool IsSentenceEnd(string text, int i)
    {
        if (i + 1 >= text.Length || !char.IsWhiteSpace(text[i + 1]))
            return false;
        var j = i;
        while (j > 0 && text[j] is '"' or '\'' or '”' or '’' or ')' or '»')
            j--;
        return text[j] is '.' or '!' or '?' or '…' || text[i] == '\n';
    }
}
