using System.Text;

namespace NewsBot.Answering;

/// <summary>
/// Finds a quote in source text while tolerating what copying text usually changes: runs of whitespace
/// (including non-breaking spaces) and straight versus curly quotation marks. The located span is the
/// source's own text, so a displayed quote can always be replaced by the exact original.
/// </summary>
public static class QuoteLocator
{
    /// <summary>Locates <paramref name="quote"/> in <paramref name="text"/>; offsets are into <paramref name="text"/>.</summary>
    public static bool TryLocate(string text, string quote, out int start, out int end, int searchFrom = 0)
    {
        start = end = -1;
        var (needle, _) = Fold(quote.AsSpan().Trim());
        if (needle.Length == 0)
            return false;

        var (haystack, map) = Fold(text);
        var from = 0;
        while (from < map.Length && map[from] < searchFrom)
            from++;

        var at = haystack.IndexOf(needle, from, StringComparison.Ordinal);
        if (at < 0)
            return false;

        start = map[at];
        end = map[at + needle.Length - 1] + 1;
        return true;
    }

    /// <summary>Whether <paramref name="quote"/> occurs in <paramref name="text"/> (whitespace and quote marks folded).</summary>
    public static bool Contains(string text, string quote) => TryLocate(text, quote, out _, out _);

    /// <summary>
    /// Folds whitespace runs to one space and quotation marks to their straight forms, keeping for each
    /// folded character the offset of the original character it came from.
    /// </summary>
    internal static (string Folded, int[] Map) Fold(ReadOnlySpan<char> source)
    {
        var builder = new StringBuilder(source.Length);
        var map = new List<int>(source.Length);
        var lastWasSpace = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                if (lastWasSpace)
                    continue;
                builder.Append(' ');
                map.Add(i);
                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            builder.Append(FoldQuoteMark(c));
            map.Add(i);
        }

        return (builder.ToString(), map.ToArray());
    }

    private static char FoldQuoteMark(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '`' => '\'',
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => '"',
        _ => c,
    };
}
