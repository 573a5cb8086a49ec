namespace NewsBot.Ingestion;

/// <summary>
/// Coalesces reload requests: while a reload runs, every new request joins one follow-up reload
/// (files may have changed after the running one scanned them), so a burst of requests costs at
/// most two reloads and every caller gets a report that reflects the folder as of its request.
/// </summary>
public sealed class ReloadCoordinator(Ingestor ingestor)
{
    private readonly Lock _gate = new();
    private Task<ReloadReport>? _running;
    private Task<ReloadReport>? _queued;

    public Task<ReloadReport> RequestAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _queued ??= RunAfterAsync(_running);
            // The reload is shared, so one caller giving up does not cancel it for the others.
            return _queued.WaitAsync(cancellationToken);
        }
    }

    private async Task<ReloadReport> RunAfterAsync(Task? previous)
    {
        // Return to the caller first, so the task is stored as _queued before it is promoted below.
        await Task.Yield();
        if (previous is not null)
        {
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // The earlier reload's callers have its error; this one starts afresh.
            }
        }

        lock (_gate)
        {
            _running = _queued;
            _queued = null;
        }

        return await ingestor.ReloadAsync(cancellationToken: CancellationToken.None);
    }
}
