using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsBot.Retrieval;

/// <summary>A span of years a text refers to, inclusive ("the 1990s" is 1990–1999, "the 9th century" 801–900).</summary>
public readonly record struct YearSpan(int From, int To)
{
    public bool Overlaps(YearSpan other) => From <= other.To && other.From <= To;
}

/// <summary>
/// The years, decades and centuries a text names. A question set in one period is not answered by a sentence
/// that names only other periods: "What treaty was signed in the 9th century?" against "… began in 911".
/// </summary>
public static partial class TimeReferences
{
    private static readonly string[] OrdinalWords =
    [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
        "twentieth", "twenty-first",
    ];

    public static IReadOnlyList<YearSpan> Of(string text)
    {
        var spans = new List<YearSpan>();
        foreach (Match m in Century().Matches(text))
        {
            var n = m.Groups["digits"].Success
                ? int.Parse(m.Groups["digits"].Value, CultureInfo.InvariantCulture)
                : Array.IndexOf(OrdinalWords, m.Groups["word"].Value.ToLowerInvariant()) + 1;
            if (n is >= 1 and <= 21)
                spans.Add(new YearSpan(((n - 1) * 100) + 1, n * 100));
        }

        foreach (Match m in Decade().Matches(text))
        {
            var start = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
            // "the 1900s" is a century in most writing, "the 1990s" a decade.
            spans.Add(start % 100 == 0 ? new YearSpan(start, start + 99) : new YearSpan(start, start + 9));
        }

        foreach (Match m in Year().Matches(text))
        {
            var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
            spans.Add(new YearSpan(year, year));
        }

        return spans;
    }

    /// <summary>Whether the sentence names periods and none of them meets a period the question names.</summary>
    public static bool Contradicts(IReadOnlyList<YearSpan> question, string sentence)
    {
        if (question.Count == 0)
            return false;
        var named = Of(sentence);
        return named.Count > 0 && !named.Any(s => question.Any(q => q.Overlaps(s)));
    }

    // "9th century", "ninth century", "10th and 11th centuries": each ordinal before the word century.
    [GeneratedRegex(@"\b(?:(?<digits>\d{1,2})(?:st|nd|rd|th)|(?<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first))\b(?=(?:[\s,\-]+(?:and|or|to|through|\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth))*[\s\-]+centur(?:y|ies)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Century();

    [GeneratedRegex(@"\b(?<year>1\d{3}|20\d{2})['’]?s\b")]
    private static partial Regex Decade();

    // Four-digit years 1000–2099 not followed by a digit, "s" or a unit; three-digit ones only after a time preposition.
    [GeneratedRegex(@"\b(?<year>1\d{3}|20\d{2})\b(?!['’]?s\b|[.,]\d|\s*(?:%|percent|people|points|yards|km|miles|metres|meters|kg|tons|tonnes|dollars|euros))|(?<=\b(?:in|since|by|until|from|after|before|around|circa|of)\s)(?<year>\d{3})\b(?![.,]\d)", RegexOptions.IgnoreCase)]
    private static partial Regex Year();
}
