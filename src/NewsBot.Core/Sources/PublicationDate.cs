using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Ingestion;

namespace NewsBot.Sources;

/// <summary>
/// The day an article was published, read from its date line ("Published March 3, 2024 10:15 am", "22 January 2018",
/// "2024-03-03"): what "the latest news" is ordered by. Articles without one have no date; nothing is guessed from the file.
/// </summary>
public static partial class PublicationDate
{
    /// <summary>The first calendar date on one of the article's date lines, or null.</summary>
    public static DateOnly? Of(Article article) =>
        Lines(article).Select(p => Parse(article.Slice(p.Start, p.End))).FirstOrDefault(d => d is not null);

    /// <summary>The article's date lines: the byline paragraphs that give a date or time rather than a name.</summary>
    public static IEnumerable<Paragraph> Lines(Article article) => article.Paragraphs.Where(p => IsDateLine(article, p));

    /// <summary>Whether the paragraph is a date line ("Published January 22, 2018 2:14 pm"), read with the byline.</summary>
    public static bool IsDateLine(Article article, Paragraph paragraph) =>
        paragraph.Kind == ParagraphKind.Byline && LineRules.IsDateLine(article.Slice(paragraph.Start, paragraph.End));

    /// <summary>The first calendar date written in <paramref name="text"/>, or null (also for one no calendar has, "February 30, 2024").</summary>
    public static DateOnly? Parse(string text)
    {
        foreach (Match m in Written().Matches(text))
        {
            var month = m.Groups["month"].Success ? MonthNumber(m.Groups["month"].Value)
                : m.Groups["monthAfter"].Success ? MonthNumber(m.Groups["monthAfter"].Value)
                : int.Parse(m.Groups["isoMonth"].Value, CultureInfo.InvariantCulture);
            var day = int.Parse((m.Groups["day"].Success ? m.Groups["day"] : m.Groups["dayFirst"].Success ? m.Groups["dayFirst"] : m.Groups["isoDay"]).Value, CultureInfo.InvariantCulture);
            var year = int.Parse((m.Groups["year"].Success ? m.Groups["year"] : m.Groups["yearAfter"].Success ? m.Groups["yearAfter"] : m.Groups["isoYear"]).Value, CultureInfo.InvariantCulture);
            if (month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
                return new DateOnly(year, month, day);
        }

        return null;
    }

    /// <summary>1 to 12 for a month's name or its abbreviation ("Sept", "october"); 0 for anything else.</summary>
    internal static int MonthNumber(string name) => Array.FindIndex(Months, m => name.StartsWith(m, StringComparison.OrdinalIgnoreCase)) + 1;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>A month's name or its usual abbreviation, as a regular expression.</summary>
    internal const string MonthName = @"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

    [GeneratedRegex(@"\b(?<month>" + MonthName + @")\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<year>(?:19|20)\d{2})\b" +
                    @"|\b(?<dayFirst>\d{1,2})(?:st|nd|rd|th)?\s+(?<monthAfter>" + MonthName + @")\.?,?\s+(?<yearAfter>(?:19|20)\d{2})\b" +
                    @"|\b(?<isoYear>(?:19|20)\d{2})-(?<isoMonth>\d{2})-(?<isoDay>\d{2})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Written();
}
