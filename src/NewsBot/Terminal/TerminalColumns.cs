using System.Buffers;
using System.Globalization;
using System.Text;

namespace NewsBot.Host.Cli;

/// <summary>
/// How many terminal columns text takes, and where the cursor may stop in it. East Asian wide and fullwidth
/// characters and emoji take two columns, combining marks and format characters none; the cursor moves by whole
/// user-perceived characters (an accent typed as a combining mark goes with its letter).
/// </summary>
internal static class TerminalColumns
{
    public static int Of(ReadOnlySpan<char> text)
    {
        var columns = 0;
        foreach (var rune in text.EnumerateRunes())
            columns += Of(rune);
        return columns;
    }

    public static int Of(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control => 0,
        _ => IsWide(rune.Value) ? 2 : 1,
    };

    /// <summary>The end of the character that starts at <paramref name="at"/> (the text's length at its end).</summary>
    public static int Next(ReadOnlySpan<char> text, int at) =>
        at >= text.Length ? text.Length : at + StringInfo.GetNextTextElementLength(text[at..]);

    /// <summary>The start of the character that ends at <paramref name="at"/> (0 at the start).</summary>
    /// <remarks>
    /// Character boundaries can only be found reading forward, so this reads from the nearest earlier code unit that
    /// cannot join the one before it: moving through a long pasted line costs a few characters, not the whole line.
    /// </remarks>
    public static int Previous(ReadOnlySpan<char> text, int at)
    {
        if (at <= 0)
            return 0;
        var from = at - 1;
        while (from > 0 && JoinsPrevious(text, from))
            from--;
        var start = from;
        for (var next = Next(text, from); next < at; next = Next(text, next))
            start = next;
        return start;
    }

    // A conservative superset of what Unicode's grapheme rules attach to the character before: reading from one position
    // too early only costs a step, stopping inside a character would split it.
    private static bool JoinsPrevious(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        if (char.IsLowSurrogate(c) || text[at - 1] == ZeroWidthJoiner || c is (>= '\u1160' and <= '\u11FF') or (>= '\uD7B0' and <= '\uD7FF'))
            return true;
        if (Rune.DecodeFromUtf16(text[at..], out var rune, out _) != OperationStatus.Done)
            return false;
        if (IsRegionalIndicator(rune.Value))
            return at >= 2 && Rune.DecodeFromUtf16(text[(at - 2)..at], out var before, out _) == OperationStatus.Done
                && IsRegionalIndicator(before.Value);
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.ModifierSymbol;
    }

    private const char ZeroWidthJoiner = '\u200D';

    private static bool IsRegionalIndicator(int c) => c is >= 0x1F1E6 and <= 0x1F1FF;

    // The wide ranges of Unicode's East Asian Width property (W and F), and the emoji blocks terminals draw wide.
    private static bool IsWide(int c) => c is
        (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
        or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
        or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
}
