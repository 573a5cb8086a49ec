using System.Diagnostics.Metrics;
using NewsBot.Telemetry;

namespace NewsBot.Ingestion;

/// <summary>
/// How fresh the served index is and what keeps this process from following its store or ingesting, for
/// <c>/healthz</c> and the index gauges. The ingestor, the follower and the ingestion worker report here as they learn
/// it, so an operator sees a process serving a stale index without reading its logs.
/// </summary>
public sealed class IndexHealth
{
    // A store's or a file's message can be long (a stack of causes); a health body wants one line.
    private const int MaxReasonLength = 300;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IndexFreshness _current = new(null, null, null, null);

    /// <param name="meters">The host's meters, for the index gauges (<see cref="NewsBotTelemetry.ObserveIndexHealth"/>); none without.</param>
    public IndexHealth(TimeProvider time, IMeterFactory? meters = null)
    {
        _time = time;
        if (meters is not null)
            NewsBotTelemetry.ObserveIndexHealth(this, meters);
    }

    public IndexFreshness Current => Volatile.Read(ref _current);

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>A new index is served, loaded from the store or built by an ingest: the store is followed again.</summary>
    internal void Loaded() => Update(f => f with { LoadedAt = Now, LastRefreshAt = Now, Store = null });

    /// <summary>The store was read and holds what is served.</summary>
    internal void Confirmed() => Update(f => f with { LastRefreshAt = Now, Store = null });

    /// <summary>The store could not be followed: the served index, if any, stays served and grows stale.</summary>
    internal void CannotFollow(IndexProblemKind kind, string reason) => Update(f => f with { Store = Problem(f.Store, kind, reason) });

    /// <summary>The store failed with <paramref name="failure"/>, whose message is safe to show (the stores never put a password in one).</summary>
    internal void StoreFailed(Exception failure) => CannotFollow(
        failure switch
        {
            IndexStoreDamagedException => IndexProblemKind.Damaged,
            IndexStoreUnavailableException => IndexProblemKind.Unreachable,
            _ => IndexProblemKind.Failing,
        },
        failure.Message);

    internal void Ingested() => Update(f => f with { Ingest = null });

    internal void IngestFailed(string reason) => Update(f => f with { Ingest = Problem(f.Ingest, IndexProblemKind.IngestFailed, reason) });

    /// <summary>
    /// The problem now, dated from when the last one began: a store that was unreachable and is found damaged once back
    /// has not been followed since the outage began.
    /// </summary>
    private IndexProblem Problem(IndexProblem? ongoing, IndexProblemKind kind, string reason) =>
        new(kind, OneLine(reason), ongoing?.Since ?? Now);

    private static string OneLine(string reason)
    {
        var line = reason.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
            line = line[..end].TrimEnd();
        return line.Length <= MaxReasonLength ? line.ToString() : string.Concat(line[..(MaxReasonLength - 1)], "…");
    }

    private void Update(Func<IndexFreshness, IndexFreshness> change)
    {
        lock (_gate)
            Volatile.Write(ref _current, change(_current));
    }
}

/// <summary>The served index's freshness.</summary>
/// <param name="LoadedAt">When the served index was swapped in; null until one is.</param>
/// <param name="LastRefreshAt">When this process last found that what it serves is what the store holds (a load counts).</param>
/// <param name="Store">Why the store cannot be followed now, if it cannot.</param>
/// <param name="Ingest">Why this process's last ingest failed, if it did.</param>
public sealed record IndexFreshness(DateTimeOffset? LoadedAt, DateTimeOffset? LastRefreshAt, IndexProblem? Store, IndexProblem? Ingest)
{
    public IReadOnlyList<IndexProblem> Problems => [.. new[] { Store, Ingest }.OfType<IndexProblem>()];

    public bool Degraded => Store is not null || Ingest is not null;
}

/// <param name="Reason">One line, never a password or connection string.</param>
/// <param name="Since">When the trouble began (kept while its kind or reason changes).</param>
public sealed record IndexProblem(IndexProblemKind Kind, string Reason, DateTimeOffset Since);

public enum IndexProblemKind
{
    /// <summary>The store cannot be reached (a database restart, a network outage).</summary>
    Unreachable,

    /// <summary>The store answered with an error.</summary>
    Failing,

    /// <summary>The store's current version is damaged and this process may not repair it (it does not hold the ingest lock).</summary>
    Damaged,

    /// <summary>
    /// This process holds the ingest lock and is repairing the damaged store; or another does, and this one keeps serving
    /// what it holds until the repaired index is published.
    /// </summary>
    Repairing,

    /// <summary>The last ingest of the seeds folder failed, or could read none of its files.</summary>
    IngestFailed,
}
