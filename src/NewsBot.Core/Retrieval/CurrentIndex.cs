using NewsBot.Sources;
using NewsBot.Telemetry;

namespace NewsBot.Retrieval;

/// <summary>
/// Holds the snapshot being served. A reload swaps in a complete new snapshot in one write, so a
/// question that started before the swap finishes on the old one.
/// </summary>
public sealed class CurrentIndex : IArticleCatalog
{
    private static readonly Served NotLoaded = new(IndexSnapshot.Empty, 0);
    private Served _served = NotLoaded;

    public IndexSnapshot Snapshot => Volatile.Read(ref _served).Snapshot;

    /// <summary>The store version the snapshot was loaded from or published as; 0 before any.</summary>
    public long Version => Volatile.Read(ref _served).Version;

    /// <summary>Whether an index has been loaded or built since start (an empty one counts).</summary>
    public bool Loaded => !ReferenceEquals(Volatile.Read(ref _served), NotLoaded);

    public IReadOnlyList<Article> Articles => Snapshot.Articles;

    public Article? Find(string sourceId) => Snapshot.Find(sourceId);

    public void Publish(IndexSnapshot snapshot, long version = 0)
    {
        Volatile.Write(ref _served, new Served(snapshot, version));
        NewsBotTelemetry.RecordServed(new ServedIndex(version, snapshot.Sources.Count, snapshot.SentenceCount));
    }

    private sealed record Served(IndexSnapshot Snapshot, long Version);
}
