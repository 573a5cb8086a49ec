using System.Globalization;
using System.Text;
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
