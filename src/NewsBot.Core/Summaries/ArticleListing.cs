using System.Globalization;
using NewsBot.Answering;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>
/// How a chat reply names the loaded articles: “title” (id), the id being what <c>/summary</c> takes; the first
/// <see cref="MaxShown"/> of an archive, then how many more, so that a reply stays one short message however many are loaded.
/// </summary>
internal static class ArticleListing
{
    public const int MaxShown = 10;

    /// <summary>"“First title” (a1); “Second title” (a2); and 1,204 more (/sources lists them)".</summary>
    public static string Of(IReadOnlyList<Article> articles)
    {
        var listed = string.Join("; ", articles.Take(MaxShown).Select(a => $"{QuoteMarks.Wrap(a.Title)} ({a.Id})"));
        return articles.Count > MaxShown
            ? string.Create(CultureInfo.InvariantCulture, $"{listed}; and {articles.Count - MaxShown:N0} more (/sources lists them)")
            : listed;
    }

    /// <summary>"1 article", "1,205 articles".</summary>
    public static string Count(int count) =>
        count == 1 ? "1 article" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} articles");
}
