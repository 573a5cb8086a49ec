using System.Collections.Concurrent;

namespace NewsBot.Slack.Events;

/// <summary>
/// Remembers keys (event ids, channel + ts) for a while so that a re-delivered event is handled once.
/// Slack retries an unacknowledged event three times over about five minutes; keys are kept an hour.
/// </summary>
internal sealed class RecentKeys(TimeProvider time)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromHours(1);
    private const int MaxKeys = 50_000;
    private readonly ConcurrentDictionary<string, long> _seen = new();
    private readonly ConcurrentQueue<(string Key, long At)> _order = new();

    /// <summary>True the first time a key is offered (atomically: of two racing offers exactly one wins).</summary>
    public bool FirstTime(string key)
    {
        var now = time.GetTimestamp();
        Expire(now);
        if (!_seen.TryAdd(key, now))
            return false;
        _order.Enqueue((key, now));
        return true;
    }

    private void Expire(long now)
    {
        while (_order.TryPeek(out var oldest) && (_seen.Count > MaxKeys || time.GetElapsedTime(oldest.At, now) > KeepFor))
        {
            if (_order.TryDequeue(out var gone))
                _seen.TryRemove(gone.Key, out _);
        }
    }
}
