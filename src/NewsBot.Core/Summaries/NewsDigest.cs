using System.Globalization;
using System.Text;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>
/// "What's the news?", "summarize all the articles", or <c>/summary</c> with several articles loaded and none being discussed:
/// the newest articles' headlines, each with the sentence its extractive summary leads with, cited. A summary is of one
/// article; a digest says what the loaded ones are about, so that the person can pick one. Newest first by
/// <see cref="PublicationDate"/>; undated articles follow in the index's order.
/// </summary>
public static class NewsDigest
{
    /// <summary>At most this many articles are in a digest, so that it stays a short reply however many are loaded; the rest are counted.</summary>
    public const int MaxArticles = 8;

    /// <summary>The digest of the snapshot's articles; its <see cref="Summary.SourceId"/> is null, its title says what it covers.</summary>
    public static Summary Of(IndexSnapshot snapshot)
    {
        var articles = snapshot.Articles;
        var newest = articles
            .Select((article, source) => (Source: source, Date: PublicationDate.Of(article)))
            .OrderByDescending(a => a.Date.HasValue)
            .ThenByDescending(a => a.Date)
            .ThenBy(a => a.Source)
            .Take(MaxArticles)
            .ToList();
        var text = new StringBuilder();
        var citations = new List<Citation>();
        foreach (var (source, date) in newest)
        {
            var article = articles[source];
            if (text.Length > 0)
                text.Append('\n');
            text.Append("• ").Append(QuoteMarks.Wrap(article.Title)).Append(" (").Append(article.Id);
            if (date is { } day)
                text.Append(", ").Append(day.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture));
            text.Append(')');
            if (ExtractiveSummarizer.Choose(snapshot.Sources[source], snapshot.Dimensions, 1) is [var lead])
            {
                var citation = new Citation(citations.Count + 1, article.Id, article.Title, lead.Paragraph, lead.Text, lead.Start, lead.End);
                citations.Add(citation);
                text.Append(": ").Append(lead.Text).Append(" [").Append(citation.Number).Append(']');
            }
        }

        var dated = newest.Any(a => a.Date.HasValue);
        var title = newest.Count == articles.Count
            ? $"The {ArticleListing.Count(articles.Count)} loaded{(dated && articles.Count > 1 ? ", newest first" : string.Empty)}"
            : string.Create(CultureInfo.InvariantCulture, $"{(dated ? $"The {newest.Count} newest" : $"{newest.Count}")} of {articles.Count:N0} articles");
        var note = newest.Count == articles.Count
            ? "Ask about one, or use /summary with its id, for more."
            : "Ask about one, or use /summary with its id, for more; /sources lists them all.";
        return new Summary(null, title, text.ToString(), citations, note);
    }
}
