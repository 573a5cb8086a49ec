using NewsBot.Ingestion;

namespace NewsBot.Tests.Support;

/// <summary>
/// A real store whose first reads, repairs or publications wait for the test, so a host's <c>/healthz</c> can be seen
/// before an index is loaded, while a repair runs, or between a repair and the publication of what it embedded again.
/// </summary>
public sealed class GatedStore(IIndexStore inner, Task? opened = null, Task? repaired = null, Task? applied = null) : IIndexStore
{
    private readonly TaskCompletionSource _applying = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first publication reaches the gate: whatever came before it (a repair, the embedding) is done.</summary>
    public Task Applying => _applying.Task;

    public async Task<IStoredIndexReader> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        if (opened is not null)
            await opened.WaitAsync(cancellationToken);
        return await inner.OpenReadAsync(cancellationToken);
    }

    public async Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default)
    {
        _applying.TrySetResult();
        if (applied is not null)
            await applied.WaitAsync(cancellationToken);
        return await inner.ApplyAsync(changes, cancellationToken);
    }

    public Task<StoredVersion> CurrentVersionAsync(CancellationToken cancellationToken = default) => inner.CurrentVersionAsync(cancellationToken);

    public Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default) => inner.AcquireIngestLockAsync(wait, cancellationToken);

    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitForChangeAsync(timeout, cancellationToken);

    public async Task<bool> RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken = default)
    {
        if (repaired is not null)
            await repaired.WaitAsync(cancellationToken);
        return await inner.RepairAsync(damage, cancellationToken);
    }
}
