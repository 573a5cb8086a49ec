using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Answering;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>
/// "Give me a timeline": the article's sentences that name a year, in the order of the years they name (a month sorts
/// within its year), each introduced by the date it names and quoted. Dates the article gives relative to its own
/// ("last year", "on Tuesday") are left out: placing them would be a guess.
/// </summary>
public static partial class Timeline
{
    /// <summary>At most this many sentences, the earliest first, so that the reply stays one chat message.</summary>
    public const int MaxEvents = 8;

    /// <summary>The timeline's text (one line per dated sentence, "• 2014: “…” [1]") and its citations; empty when no body sentence names a year.</summary>
    public static (string Text, IReadOnlyList<Citation> Citations) Of(Article article)
    {
        var quotable = article.Paragraphs.Where(p => p.Kind is ParagraphKind.Body or ParagraphKind.Dek).Select(p => p.Number).ToHashSet();
        var dated = article.Sentences
            .Where(s => quotable.Contains(s.Paragraph))
            .Select(s => (Sentence: s, Date: FirstDate(s.Text)))
            .Where(d => d.Date is not null)
            .OrderBy(d => d.Date!.Value.Year).ThenBy(d => d.Date!.Value.Month).ThenBy(d => d.Sentence.Index)
            .Take(MaxEvents)
            .ToList();
        var text = new StringBuilder();
        var citations = new List<Citation>();
        foreach (var (sentence, date) in dated)
        {
            var citation = Citation.Of(citations.Count + 1, article, sentence);
            citations.Add(citation);
            if (text.Length > 0)
                text.Append('\n');
            text.Append("• ").Append(date!.Value.Label).Append(": ").Append(QuoteMarks.Wrap(sentence.Text)).Append(" [").Append(citation.Number).Append(']');
        }

        return (text.ToString(), citations);
    }

    /// <summary>The first year the text names, with the month written next to it, if any ("October 2017", "2014").</summary>
    internal static (int Year, int Month, string Label)? FirstDate(string text)
    {
        if (Dated().Match(text) is not { Success: true } m)
            return null;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        var month = m.Groups["month"].Success ? PublicationDate.MonthNumber(m.Groups["month"].Value) : 0;
        return (year, month, month == 0 ? m.Groups["year"].Value : $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year}");
    }

    // A year as a date ("in 2014", "October 2017", "May 5, 2016"), not a number that happens to have four digits ("2,014", "$2014m").
    [GeneratedRegex(@"(?<![\d$£€,.])(?:\b(?<month>" + PublicationDate.MonthName + @")\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?)?\b(?<year>(?:19|20)\d{2})\b(?![\d,.]\d|\s*(?:%|per ?cent|m\b|bn\b|million|billion))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Dated();
}
