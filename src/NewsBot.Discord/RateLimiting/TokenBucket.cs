namespace NewsBot.Discord.RateLimiting;

/// <summary>A classic token bucket: <c>capacity</c> tokens, refilled continuously at <c>perSecond</c>.</summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _stamp;

    public TokenBucket(double capacity, double perSecond, TimeProvider time)
    {
        _capacity = capacity;
        _perSecond = perSecond;
        _time = time;
        _tokens = capacity;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Takes one token, or says how long until one is available.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            return false;
        }
    }

    /// <summary>True when the bucket has refilled completely, so forgetting it changes nothing.</summary>
    public bool IsFull
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens >= _capacity;
            }
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_stamp, now).TotalSeconds * _perSecond));
        _stamp = now;
    }
}

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
