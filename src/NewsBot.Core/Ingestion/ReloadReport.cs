namespace NewsBot.Ingestion;

/// <summary>What one reload of the seeds folder changed.</summary>
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
}

/// <summary>A file that could not be loaded, by name, with the reason.</summary>
public sealed record SourceProblem(string Path, string Reason);
