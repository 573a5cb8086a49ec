namespace NewsBot.Retrieval;

/// <summary>
/// Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of neighbouring letters, the
/// slips of fast typing), computed only up to a bound so that a scan of a whole vocabulary stays cheap.
/// </summary>
internal static class EditDistance
{
    /// <summary>Shorter words are too near too many others ("form", "from") to be read as another word's typo.</summary>
    public const int MinTypoLength = 5;

    /// <summary>How many slips a typo of a word this long may hold: one, two from eight letters.</summary>
    public static int TypoBound(int length) => length >= 8 ? 2 : 1;

    /// <summary>The distance between the two, or <paramref name="bound"/> + 1 when it is larger.</summary>
    public static int Within(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound)
            return bound + 1;
        if (b.Length > 64)
            return a.SequenceEqual(b) ? 0 : bound + 1;

        // Three rows of the dynamic programme: two back for a swap, the previous and the current.
        Span<int> twoBack = stackalloc int[b.Length + 1];
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, twoBack[j - 2] + 1);
                current[j] = value;
                rowBest = Math.Min(rowBest, value);
            }

            if (rowBest > bound)
                return bound + 1;
            var spare = twoBack;
            twoBack = previous;
            previous = current;
            current = spare;
        }

        return Math.Min(previous[b.Length], bound + 1);
    }
}
