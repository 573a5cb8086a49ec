namespace NewsBot.Retrieval;

/// <summary>
/// Finds the article text most likely to answer a query. Used by the extractive answerer and exposed to
/// language models as the <c>articles.search</c> plugin.
/// </summary>
public interface IPassageSearch
{
    /// <summary>Ranked passages, best first, at most <see cref="PassageQuery.Top"/>.</summary>
    Task<IReadOnlyList<Passage>> SearchAsync(PassageQuery query, CancellationToken cancellationToken = default);
}

/// <param name="Text">The query, usually the question.</param>
/// <param name="Top">How many passages at most.</param>
/// <param name="SourceId">Only this article, or null for all.</param>
public sealed record PassageQuery(string Text, int Top = 5, string? SourceId = null);

/// <summary>
/// A few consecutive sentences of one article around a matching sentence. <see cref="Text"/> is the
/// article's exact text between <see cref="Start"/> and <see cref="End"/>.
/// </summary>
/// <param name="Relevance">Fused relevance; higher is better, comparable only within one search.</param>
/// <param name="Confidence">How sure the retriever is that this passage answers the query, 0..1.</param>
public sealed record Passage(
    string SourceId,
    string Title,
    int Paragraph,
    int Start,
    int End,
    string Text,
    double Relevance,
    double Confidence);
