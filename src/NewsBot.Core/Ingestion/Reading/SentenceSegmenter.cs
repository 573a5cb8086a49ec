namespace NewsBot.Ingestion;

/// <summary>A sentence's place in its paragraph: <c>paragraph[Start..End]</c>.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Rule-based English sentence splitter for news prose. A boundary is terminal punctuation (plus any
/// closing quotes or brackets) followed by whitespace and something that can start a sentence; periods
/// after titles, initials, acronyms and number abbreviations only end a sentence when the next word is
/// one that typically opens one. Runaway sentences are split at semicolons or colons.
/// </summary>
public sealed class SentenceSegmenter
{
    /// <summary>Sentences longer than this are split at ";" or ":" when they have any.</summary>
    public const int DefaultLongSentence = 400;

    // Titles never end a sentence: "Mr. Smith", "Gen. Milley", "St. Petersburg".
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "Mr", "Mrs", "Ms", "Messrs", "Mme", "Dr", "Drs", "Prof", "Gen", "Gens", "Sen", "Sens", "Rep", "Reps", "Gov",
        "Govs", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Cdr", "Adm", "Maj", "Brig", "Cpl", "Pvt", "Rev", "Hon", "Pres",
        "Supt", "Insp", "Det", "Amb", "Atty", "Rt", "St", "Ste", "Mt", "Ft", "Fr",
    };

    // Only before a number: "No. 10", "Vol. 3", "pp. 4-5"; otherwise the word ends a sentence normally.
    private static readonly HashSet<string> BeforeNumbers = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nos", "vol", "vols", "p", "pp", "art", "sec", "fig", "figs", "ch", "op", "nr", "tel", "ext", "approx",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "para", "ed",
    };

    // Never end a sentence.
    private static readonly HashSet<string> Never = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "cf", "viz", "vs", "v", "approx",
    };

    // Can end a sentence, but usually do not: "Inc.", "Ltd.", "etc.", "Jr.", "a.m.", "U.S.".
    private static readonly HashSet<string> Ambiguous = new(StringComparer.OrdinalIgnoreCase)
    {
        "inc", "ltd", "corp", "co", "cos", "jr", "sr", "etc", "bros", "llc", "plc", "ave", "blvd", "rd", "dept",
        "univ", "assn", "est", "al", "govt", "intl", "natl",
    };

    // Words that commonly open a news sentence; after an ambiguous abbreviation they signal a boundary.
    private static readonly HashSet<string> Openers = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our", "My",
        "This", "That", "These", "Those", "There", "Here", "But", "And", "So", "Yet", "Or", "In", "On", "At", "For",
        "After", "Before", "When", "While", "As", "If", "Although", "Though", "Since", "Because", "However",
        "Meanwhile", "Still", "Also", "Some", "Many", "Most", "No", "Not", "One", "Officials", "According", "Then",
        "Now", "Last", "Earlier", "Later", "What", "Why", "How", "Who", "Where", "Both", "Each", "All", "Such",
        "Other", "Another", "More", "Several", "Under", "Despite", "During", "Among", "By", "With", "Without",
        "Asked", "Instead", "Even", "Only", "Yes", "Today", "Yesterday", "Sources",
    };

    private readonly int _longSentence;

    public SentenceSegmenter(int longSentence = DefaultLongSentence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longSentence, 40);
        _longSentence = longSentence;
    }

    /// <summary>Splits a paragraph into trimmed sentence spans; a non-blank paragraph yields at least one.</summary>
    public IReadOnlyList<TextSpan> Split(ReadOnlySpan<char> text)
    {
        var spans = new List<TextSpan>();
        var start = SkipSpace(text, 0);
        var i = start;
        while (i < text.Length)
        {
            if (!TextShape.IsTerminal(text[i]))
            {
                i++;
                continue;
            }

            var runEnd = i;
            while (runEnd < text.Length && TextShape.IsTerminal(text[runEnd]))
                runEnd++;
            var end = runEnd;
            while (end < text.Length && TextShape.IsClosingMark(text[end]))
                end++;
            if (end >= text.Length)
                break;
            if (!char.IsWhiteSpace(text[end]))
            {
                i = runEnd;
                continue;
            }

            var next = SkipSpace(text, end);
            if (next < text.Length && IsBoundary(text, start, i, runEnd, next))
            {
                AddSplittingLong(text, spans, start, end);
                start = next;
            }

            i = next;
        }

        var last = TrimEnd(text, start, text.Length);
        if (last > start)
            AddSplittingLong(text, spans, start, last);
        return spans;
    }

    private static bool IsBoundary(ReadOnlySpan<char> text, int sentenceStart, int terminal, int runEnd, int next)
    {
        var first = text[next];
        if (char.IsLower(first))
            return false;
        if (TextShape.IsOpeningMark(first) && next + 1 < text.Length && char.IsLower(text[next + 1]))
            return false;

        // "?", "!", "…" and "..." end a sentence whenever something capitalised follows.
        if (runEnd - terminal > 1 || text[terminal] != '.')
            return true;

        var tokenStart = terminal;
        while (tokenStart > sentenceStart && !char.IsWhiteSpace(text[tokenStart - 1]))
            tokenStart--;
        var token = text[tokenStart..terminal];
        while (token.Length > 0 && TextShape.IsOpeningMark(token[0]))
            token = token[1..];
        if (token.IsEmpty || TextShape.IsClosingMark(token[^1]) || !char.IsLetterOrDigit(token[^1]))
            return true;

        var nextWord = Word(text, next);
        var key = token.ToString();
        if (IsDigits(token))
            return tokenStart > sentenceStart; // "1." opening a paragraph is an enumerator
        if (Titles.Contains(key) || Never.Contains(key))
            return false;
        if (BeforeNumbers.Contains(key) && char.IsDigit(first))
            return false;
        if (Ambiguous.Contains(key) || key.Contains('.', StringComparison.Ordinal) || IsInitial(token))
            return Openers.Contains(nextWord) || TextShape.IsOpeningMark(first);
        return true;
    }

    private static string Word(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length && TextShape.IsOpeningMark(text[from]))
            from++;
        var to = from;
        while (to < text.Length && (char.IsLetter(text[to]) || text[to] is '\'' or '\u2019'))
            to++;
        return text[from..to].ToString();
    }

    private static bool IsDigits(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (!char.IsDigit(c))
                return false;
        }

        return true;
    }

    private static bool IsInitial(ReadOnlySpan<char> token) => token.Length == 1 && char.IsUpper(token[0]);

    private static int SkipSpace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        return i;
    }

    private static int TrimEnd(ReadOnlySpan<char> text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        return end;
    }

    /// <summary>Adds a sentence, cutting it at ";" or ":" when it runs past the long-sentence limit.</summary>
    private void AddSplittingLong(ReadOnlySpan<char> text, List<TextSpan> spans, int start, int end)
    {
        while (end - start > _longSentence)
        {
            var cut = -1;
            for (var i = start + 1; i < end - 1; i++)
            {
                if (text[i] is not (';' or ':') || !char.IsWhiteSpace(text[i + 1]))
                    continue;
                if (cut >= 0 && i - start > _longSentence)
                    break;
                cut = i;
                if (i - start > _longSentence)
                    break;
            }

            if (cut < 0)
                break;
            spans.Add(new TextSpan(start, cut + 1));
            start = SkipSpace(text, cut + 1);
        }

        if (end > start)
            spans.Add(new TextSpan(start, end));
    }
}
