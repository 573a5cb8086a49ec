using System.Collections.Concurrent;

namespace NewsBot.Chat;

/// <summary>
/// Claims kept in this process: enough for one process, which is what a front end gets when no store shares them.
/// At most <see cref="MaxKeys"/> are kept, the oldest forgotten first.
/// </summary>
public sealed class InMemoryEventClaims(TimeProvider time, TimeSpan? keepFor = null) : IEventClaims
{
    public const int MaxKeys = 50_000;
    private readonly TimeSpan _keepFor = keepFor ?? IEventClaims.DefaultKeepFor;
    private readonly ConcurrentDictionary<string, long> _claimed = new();
    private readonly ConcurrentQueue<(string Key, long At)> _order = new();

    public ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        Expire(now);
        if (!_claimed.TryAdd(key, now))
            return ValueTask.FromResult(false);
        _order.Enqueue((key, now));
        return ValueTask.FromResult(true);
    }

    private void Expire(long now)
    {
        while (_order.TryPeek(out var oldest) && (_claimed.Count > MaxKeys || time.GetElapsedTime(oldest.At, now) >= _keepFor))
        {
            if (_order.TryDequeue(out var gone))
                _claimed.TryRemove(gone.Key, out _);
        }
    }
}
