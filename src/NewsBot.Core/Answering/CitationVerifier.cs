using NewsBot.Sources;

namespace NewsBot.Answering;

/// <summary>
/// The last check before an answer leaves the engine: every quote must be the article's own text at the
/// offsets it claims. A failure here is a bug in NewsBot, never something to show a user.
/// </summary>
public static class CitationVerifier
{
    /// <exception cref="InvalidOperationException">A quote is not exactly the source text it cites.</exception>
    public static void EnsureVerbatim(IEnumerable<Citation> citations, IArticleCatalog catalog)
    {
        foreach (var citation in citations)
        {
            var article = catalog.Find(citation.SourceId)
                ?? throw new InvalidOperationException($"Citation [{citation.Number}] names unknown source '{citation.SourceId}'.");
            if (citation.Start < 0 || citation.End > article.Text.Length || citation.Start >= citation.End
                || !article.Text.AsSpan(citation.Start, citation.End - citation.Start).SequenceEqual(citation.Quote))
            {
                throw new InvalidOperationException(
                    $"Citation [{citation.Number}] of '{citation.SourceId}' is not verbatim source text at {citation.Start}..{citation.End}.");
            }
        }
    }
}
