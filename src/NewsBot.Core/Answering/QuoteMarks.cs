using System.Buffers;

namespace NewsBot.Answering;

/// <summary>
/// Puts quotation marks around a verbatim quote without touching the quote itself. English nests quotations by
/// alternating marks, so a quote holding double marks (“We must decline your invitation.”, he wrote) is wrapped in single
/// ones — ‘“We must decline your invitation.”, he wrote’ — rather than doubling them up as ”” at its end. The one case
/// alternation cannot help, double and single marks both at its edges, keeps the double wrapper.
/// </summary>
public static class QuoteMarks
{
    private static readonly SearchValues<char> DoubleMarks = SearchValues.Create("“”„‟\"«»");
    private static readonly SearchValues<char> SingleMarks = SearchValues.Create("‘’‚‛'‹›");

    public static string Wrap(string quote) =>
        quote.AsSpan().ContainsAny(DoubleMarks) && !AtAnEdge(quote, SingleMarks) ? $"‘{quote}’" : $"“{quote}”";

    private static bool AtAnEdge(string text, SearchValues<char> marks) =>
        text.Length > 0 && (marks.Contains(text[0]) || marks.Contains(text[^1]));
}
