namespace NewsBot.Ingestion;

/// <summary>What one reload of the seeds folder (or, in a follower, of the shared store) changed.</summary>
public sealed record ReloadReport(
    int Added,
    int Updated,
    int Removed,
    int Unchanged,
    int Sentences,
    int Chunks,
    IReadOnlyList<SourceProblem> Problems,
    TimeSpan Elapsed)
{
    public bool Changed => Added + Updated + Removed > 0;

    /// <summary>The index version served after the reload.</summary>
    public long Version { get; init; }

    /// <summary>
    /// This process did not read the seeds folder: another process held the ingest lock, or ingestion is
    /// off here (<c>Ingestion:Enabled</c> = false); the report describes the index loaded from the store.
    /// </summary>
    public bool FromStore { get; init; }
}

/// <summary>A file that could not be loaded, by name, with the reason.</summary>
public sealed record SourceProblem(string Path, string Reason);
