namespace NewsBot.Chat;

/// <summary>
/// Claims kept in this process: enough for one process, which is what a front end gets when no store shares them.
/// At most <see cref="MaxKeys"/> are kept, the oldest forgotten first.
/// </summary>
public sealed class InMemoryEventClaims(TimeProvider time, EventClaimsOptions? options = null) : IEventClaims
{
    public const int MaxKeys = 50_000;
    private readonly TimeSpan _lease = (options ?? new()).Lease;
    private readonly TimeSpan _keepFor = (options ?? new()).KeepFor;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Held> _held = [];

    // Every claim, takeover, renewal and completion in the order made; an entry whose key was held anew since is stale,
    // and skipped when it comes up.
    private readonly Queue<(string Key, long At)> _order = new();

    public ValueTask<EventClaim?> TryClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Expire(now);
            if (_held.TryGetValue(key, out var held) && time.GetElapsedTime(held.At, now) < (held.Holder is null ? _keepFor : _lease))
                return ValueTask.FromResult<EventClaim?>(null);
            var claim = EventClaim.New(key);
            Hold(key, new Held(claim.Holder, now));
            return ValueTask.FromResult<EventClaim?>(claim);
        }
    }

    public ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Expire(now);
            if (!_held.TryGetValue(claim.Key, out var held) || held.Holder != claim.Holder)
                return ValueTask.FromResult(false);
            Hold(claim.Key, held with { At = now });
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(claim.Key, out var held) && held.Holder == claim.Holder)
                Hold(claim.Key, new Held(null, time.GetTimestamp()));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(claim.Key, out var held) && held.Holder == claim.Holder)
                _held.Remove(claim.Key);
        }

        return ValueTask.CompletedTask;
    }

    private void Hold(string key, Held held)
    {
        _held[key] = held;
        _order.Enqueue((key, held.At));
    }

    private void Expire(long now)
    {
        while (_order.TryPeek(out var oldest) && (_held.Count > MaxKeys || _order.Count > 2 * MaxKeys || time.GetElapsedTime(oldest.At, now) >= _keepFor))
        {
            _order.Dequeue();
            if (_held.TryGetValue(oldest.Key, out var held) && held.At == oldest.At)
                _held.Remove(oldest.Key);
        }
    }

    /// <param name="Holder">The claimant while it answers; null once it completed.</param>
    private sealed record Held(Guid? Holder, long At);
}
