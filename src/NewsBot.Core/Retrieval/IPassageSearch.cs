namespace NewsBot.Retrieval;

/// <summary>
/// Finds the article text most likely to answer a query, for language models: exposed to them as the
/// <c>articles.search</c> plugin that the answer prompt calls.
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
public sealed record Passage(
    string SourceId,
    string Title,
    int Paragraph,
    int Start,
    int End,
    string Text);
