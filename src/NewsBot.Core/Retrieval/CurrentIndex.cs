using NewsBot.Sources;

namespace NewsBot.Retrieval;

/// <summary>
/// Holds the snapshot being served. A reload swaps in a complete new snapshot in one write, so a
/// question that started before the swap finishes on the old one.
/// </summary>
public sealed class CurrentIndex : IArticleCatalog
{
    private IndexSnapshot _snapshot = IndexSnapshot.Empty;

    public IndexSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public IReadOnlyList<Article> Articles => Snapshot.Articles;

    public Article? Find(string sourceId) => Snapshot.Find(sourceId);

    public void Publish(IndexSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}
