namespace NewsBot.Ingestion;

/// <summary>Cheap facts about the shape of a line of text.</summary>
internal static class TextShape
{
    public static bool IsClosingMark(char c) => c is '"' or '\'' or '\u201D' or '\u2019' or ')' or ']' or '\u00BB' or '\u203A';

    public static bool IsOpeningMark(char c) => c is '"' or '\'' or '\u201C' or '\u2018' or '(' or '[' or '\u00AB' or '\u2039';

    public static bool IsTerminal(char c) => c is '.' or '!' or '?' or '\u2026';

    /// <summary>Ends like a sentence: terminal punctuation, possibly inside closing quotes or brackets.</summary>
    public static bool EndsWithTerminal(string text)
    {
        var i = text.Length - 1;
        while (i >= 0 && IsClosingMark(text[i]))
            i--;
        return i >= 0 && IsTerminal(text[i]);
    }

    /// <summary>Contains double quotation marks, the sign of reported speech.</summary>
    public static bool HasQuotation(string text) => text.AsSpan().IndexOfAny('\u201C', '\u201D', '"') >= 0;

    /// <summary>A word that starts with a capital letter (or is a particle inside a name).</summary>
    public static bool IsCapitalised(ReadOnlySpan<char> word) => word.Length > 0 && char.IsUpper(word[0]);
}
