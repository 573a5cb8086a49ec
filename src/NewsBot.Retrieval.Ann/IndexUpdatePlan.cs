namespace NewsBot.Retrieval.Ann;

/// <summary>A run of sentence positions: an article's, in one index or the other.</summary>
internal readonly record struct PositionRun(int First, int Count);

/// <summary>A kept article's sentences, from their positions in the previous index to those in the new one.</summary>
internal readonly record struct PositionMove(int From, int To, int Count);

/// <summary>
/// What turns an index of one layout into an index of another: the sentences of articles that stay move to their new
/// positions, those of articles gone or changed are removed, and those of new or changed articles are added.
/// </summary>
internal sealed record IndexUpdatePlan(IReadOnlyList<PositionMove> Moves, IReadOnlyList<PositionRun> Removals, IReadOnlyList<PositionRun> Additions)
{
    public int Removed => Removals.Sum(r => r.Count);

    public int Added => Additions.Sum(r => r.Count);

    public static IndexUpdatePlan Between(IReadOnlyList<DenseIndexArticle> previous, IReadOnlyList<DenseIndexArticle> next)
    {
        var previousFirst = new Dictionary<DenseIndexArticle, int>(previous.Count);
        var position = 0;
        foreach (var article in previous)
        {
            previousFirst[article] = position;
            position += article.Sentences;
        }

        var (moves, additions) = (new List<PositionMove>(), new List<PositionRun>());
        position = 0;
        foreach (var article in next)
        {
            if (previousFirst.Remove(article, out var from))
            {
                if (from != position)
                    moves.Add(new PositionMove(from, position, article.Sentences));
            }
            else if (article.Sentences > 0)
            {
                additions.Add(new PositionRun(position, article.Sentences));
            }

            position += article.Sentences;
        }

        var removals = previousFirst.Where(p => p.Key.Sentences > 0).Select(p => new PositionRun(p.Value, p.Key.Sentences)).OrderBy(r => r.First).ToList();
        return new IndexUpdatePlan(moves, removals, additions);
    }
}
