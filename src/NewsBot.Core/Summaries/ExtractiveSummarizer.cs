using System.Numerics.Tensors;
using System.Text;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Summaries;

/// <summary>
/// Offline summaries: the article's most central sentences (closest to the article's mean embedding),
/// favouring the lead since news puts key facts first, chosen with maximal marginal relevance so no
/// fact is said twice, and shown in article order with citations.
/// </summary>
public sealed class ExtractiveSummarizer(CurrentIndex index) : ISummarizer
{
    private const double Diversity = 0.35;
    private const int MinWords = 6;

    public Task<Summary> SummarizeAsync(Article article, SummaryLength length, CancellationToken cancellationToken = default)
    {
        var snapshot = index.Snapshot;
        var source = (snapshot.SourceIndex(article.Id) is { } found && snapshot.Articles[found].Id == article.Id ? snapshot.Sources[found] : null)
            ?? throw new QuestionRejectedException(QuestionProblem.UnknownSource, $"The article '{article.Id}' is not loaded.");
        var chosen = Choose(source, snapshot.Dimensions, length.SentenceCount());
        var citations = chosen
            .Select((s, i) => new Citation(i + 1, article.Id, article.Title, s.Paragraph, s.Text, s.Start, s.End))
            .ToList();
        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        return Task.FromResult(new Summary(article.Id, article.Title, Compose(citations, c => kinds.GetValueOrDefault(c.Paragraph)), citations));
    }

    /// <summary>
    /// The cited sentences as prose. A subtitle is often a phrase with no full stop; run on into the lead it reads as one
    /// garbled sentence ("…this week [1] Prime Minister…"), so each change of paragraph kind starts a new line, and a
    /// sentence without closing punctuation gets a full stop after its marker ("…this week [1].") so the quote stays as written.
    /// </summary>
    internal static string Compose(IReadOnlyList<Citation> citations, Func<Citation, ParagraphKind> kindOf)
    {
        var text = new StringBuilder();
        for (var i = 0; i < citations.Count; i++)
        {
            var c = citations[i];
            if (i > 0)
                text.Append(kindOf(c) == kindOf(citations[i - 1]) ? ' ' : '\n');
            text.Append(c.Quote).Append(" [").Append(c.Number).Append(']');
            if (!IsTerminated(c.Quote))
                text.Append('.');
        }

        return text.ToString();
    }

    /// <summary>Ends in . ! ? or …, perhaps followed by closing quotation marks or brackets.</summary>
    private static bool IsTerminated(string sentence) =>
        sentence.TrimEnd().TrimEnd('”', '’', '"', '\'', '»', ')', ']') is [.., '.' or '!' or '?' or '…'];

    internal static IReadOnlyList<Sentence> Choose(IndexedArticle source, int dimensions, int count)
    {
        var article = source.Article;
        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        var pool = article.Sentences
            .Where(s => kinds.GetValueOrDefault(s.Paragraph) is ParagraphKind.Body or ParagraphKind.Dek
                && s.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinWords)
            .ToList();
        if (pool.Count == 0 || dimensions == 0)
            return [];

        var centroid = new float[dimensions];
        foreach (var s in pool)
            TensorPrimitives.Add(centroid, Vector(source, s, dimensions), centroid);
        var norm = TensorPrimitives.Norm(centroid);
        if (norm > 0)
            TensorPrimitives.Divide(centroid, norm, centroid);

        var relevance = pool.ToDictionary(
            s => s.Index,
            s => TensorPrimitives.Dot(centroid, Vector(source, s, dimensions)) + (0.25 / (1 + (Rank(pool, s) / 3.0))));
        var chosen = new List<Sentence>();
        while (chosen.Count < count && chosen.Count < pool.Count)
        {
            var best = pool.Where(s => !chosen.Contains(s))
                .MaxBy(s => ((1 - Diversity) * relevance[s.Index]) - (Diversity * Redundancy(source, s, chosen, dimensions)))!;
            chosen.Add(best);
        }

        return [.. chosen.OrderBy(s => s.Index)];
    }

    private static int Rank(List<Sentence> pool, Sentence s) => pool.IndexOf(s);

    private static double Redundancy(IndexedArticle source, Sentence s, List<Sentence> chosen, int dimensions) =>
        chosen.Count == 0 ? 0 : chosen.Max(c => TensorPrimitives.Dot(Vector(source, s, dimensions), Vector(source, c, dimensions)));

    private static ReadOnlySpan<float> Vector(IndexedArticle source, Sentence s, int dimensions) =>
        source.SentenceVectors.AsSpan(s.Index * dimensions, dimensions);
}
