namespace NewsBot.Discord.RateLimiting;

/// <summary>At most <c>limit</c> events in any window of <c>window</c>; <see cref="WaitAsync"/> waits for a free slot.</summary>
internal sealed class SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Queue<long> _stamps = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetTimestamp();
                while (_stamps.Count > 0 && time.GetElapsedTime(_stamps.Peek(), now) >= window)
                    _stamps.Dequeue();
                if (_stamps.Count < limit)
                {
                    _stamps.Enqueue(now);
                    return;
                }

                await Task.Delay(window - time.GetElapsedTime(_stamps.Peek(), now), time, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
