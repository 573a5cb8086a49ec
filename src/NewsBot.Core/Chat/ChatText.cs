using System.Globalization;
using System.Text;
using NewsBot.Answering;
using NewsBot.Ingestion;

namespace NewsBot.Chat;

/// <summary>Wording every chat front end shares.</summary>
public static class ChatText
{
    private const string Ellipsis = "…";

    /// <summary>What a /reload did, in a few lines (file names as code spans, which Discord and Slack both show).</summary>
    public static string DescribeReload(ReloadReport report)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Reload finished in {report.Elapsed.TotalSeconds:0.0} s: {report.Added} added, {report.Updated} updated, {report.Removed} removed, {report.Unchanged} unchanged; now {report.Sentences} sentences in {report.Chunks} chunks."));
        if (!report.Changed)
            text.Append(" Nothing changed.");
        foreach (var problem in report.Problems.Take(10))
            text.Append(CultureInfo.InvariantCulture, $"\n⚠ `{problem.Path}`: {problem.Reason}");
        if (report.Problems.Count > 10)
            text.Append(CultureInfo.InvariantCulture, $"\n…and {report.Problems.Count - 10} more problems.");
        return text.ToString();
    }

    /// <summary>
    /// Whether a reply's wording already shows a citation's quote, so a list of sources names it (article, paragraph)
    /// without printing the same words twice. The extractive answer quotes every citation in its wording; a model's answer
    /// may cite a passage with a bare [n], and then the list is the only place its words appear.
    /// </summary>
    public static bool ShowsQuote(string text, Citation citation) =>
        citation.Quote.Trim() is { Length: > 0 } quote && text.Contains(quote, StringComparison.Ordinal);

    /// <summary>
    /// Splits a reply's wording where it quotes its citations — the quote with the quotation marks around it and its [n]
    /// marker — so a front end that shows quotes in a block of their own can show each one once, in place. Citations the
    /// wording does not quote are in no part.
    /// </summary>
    public static IReadOnlyList<ReplyPart> SplitAtQuotes(string text, IReadOnlyList<Citation> citations)
    {
        var parts = new List<ReplyPart>();
        var at = 0;
        var quoted = citations
            .Select(c => (Citation: c, Quote: c.Quote.Trim()))
            .Select(q => (q.Citation, q.Quote, Start: q.Quote.Length == 0 ? -1 : text.IndexOf(q.Quote, StringComparison.Ordinal)))
            .Where(q => q.Start >= 0)
            .OrderBy(q => q.Start);
        foreach (var (citation, quote, start) in quoted)
        {
            if (start < at)
                continue;
            var (from, to) = (start, start + quote.Length);
            if (from > at && to < text.Length && IsQuotationMark(text[from - 1]) && IsQuotationMark(text[to]))
                (from, to) = (from - 1, to + 1);
            var marker = string.Create(CultureInfo.InvariantCulture, $" [{citation.Number}]");
            if (string.CompareOrdinal(text, to, marker, 0, marker.Length) == 0)
                to += marker.Length;
            if (from > at)
                parts.Add(new ReplyPart(text[at..from]));
            parts.Add(new ReplyPart(text[from..to], citation));
            at = to;
        }

        if (at < text.Length)
            parts.Add(new ReplyPart(text[at..]));
        return parts;
    }

    private static bool IsQuotationMark(char c) => c is '“' or '”' or '‘' or '’' or '"' or '\'' or '«' or '»' or '„';

    /// <summary>A message that may span lines (an exception's, a parser's) as one line, for a log line or an error.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// Shortens at a word boundary and marks the cut; what remains is still verbatim text. Never cuts a
    /// surrogate pair or an HTML entity (&amp;amp;, &amp;lt;, …) in two.
    /// </summary>
    public static string Truncate(string text, int max)
    {
        text = text.Trim();
        if (text.Length <= max)
            return text;
        var cut = text.LastIndexOf(' ', max - Ellipsis.Length);
        if (cut < max / 2)
            cut = max - Ellipsis.Length;
        var entity = text.LastIndexOf('&', cut - 1);
        if (entity >= 0 && entity > cut - 8 && text.IndexOf(';', entity) >= cut)
            cut = entity;
        if (char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut].TrimEnd() + Ellipsis;
    }
}

/// <summary>A piece of a reply's wording, or (with <see cref="Quoted"/>) the place where the wording quotes that citation.</summary>
public sealed record ReplyPart(string Text, Citation? Quoted = null);
