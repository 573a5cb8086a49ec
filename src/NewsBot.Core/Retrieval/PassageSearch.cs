namespace NewsBot.Retrieval;

/// <summary>
/// Passages for language models: each of the best sentences with its neighbours in the same paragraph,
/// so the model sees context while every passage stays exact article text.
/// </summary>
public sealed class PassageSearch(CurrentIndex index, SentenceRetriever retriever) : IPassageSearch
{
    public async Task<IReadOnlyList<Passage>> SearchAsync(PassageQuery query, CancellationToken cancellationToken = default)
    {
        var snapshot = index.Snapshot;
        var candidates = await retriever.RetrieveAsync(snapshot, QuestionAnalysis.Of(query.Text), query.SourceId, cancellationToken);
        var passages = new List<Passage>();
        var covered = new HashSet<(string, int)>();
        foreach (var candidate in candidates)
        {
            if (passages.Count >= query.Top)
                break;
            var article = candidate.Article;
            var sentences = article.Sentences;
            var i = candidate.Sentence.Index;
            if (!covered.Add((article.Id, i)))
                continue;
            var first = i > 0 && sentences[i - 1].Paragraph == candidate.Sentence.Paragraph ? i - 1 : i;
            var last = i + 1 < sentences.Count && sentences[i + 1].Paragraph == candidate.Sentence.Paragraph ? i + 1 : i;
            for (var k = first; k <= last; k++)
                covered.Add((article.Id, k));
            var (start, end) = (sentences[first].Start, sentences[last].End);
            passages.Add(new Passage(article.Id, article.Title, candidate.Sentence.Paragraph, start, end, article.Slice(start, end)));
        }

        return passages;
    }
}
