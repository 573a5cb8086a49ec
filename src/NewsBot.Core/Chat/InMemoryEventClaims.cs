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

    public ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Expire(now);
            var found = _held.TryGetValue(key, out var held);
            if (found && time.GetElapsedTime(held!.At, now) < (held.Holder is null ? _keepFor : _lease))
                return ValueTask.FromResult<EventClaim?>(null);
            var claim = EventClaim.New(key);
            Hold(key, new Held(claim.Holder, now, payload, found && held!.Holder is not null ? held.Attempts + 1 : 1));
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
                Hold(claim.Key, new Held(null, time.GetTimestamp(), null, held.Attempts));
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

    public ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(claim.Key, out var held) || held.Holder != claim.Holder)
                return ValueTask.CompletedTask;
            if (held.Payload is null)
                _held.Remove(claim.Key);
            else
                Hold(claim.Key, held with { At = LeaseEnded(time.GetTimestamp()) });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Expire(now);
            var abandoned = _held
                .Where(h => h.Value is { Holder: not null, Payload: not null } held && held.Attempts < maxAttempts
                    && h.Key.StartsWith(keyPrefix, StringComparison.Ordinal) && time.GetElapsedTime(held.At, now) >= _lease)
                .OrderBy(h => h.Value.At)
                .Take(max)
                .ToList();
            var taken = new List<AbandonedEvent>(abandoned.Count);
            foreach (var (key, held) in abandoned)
            {
                var claim = EventClaim.New(key);
                Hold(key, new Held(claim.Holder, now, held.Payload, held.Attempts + 1));
                taken.Add(new AbandonedEvent(claim, held.Payload!, held.Attempts + 1));
            }

            return ValueTask.FromResult<IReadOnlyList<AbandonedEvent>>(taken);
        }
    }

    /// <summary>A timestamp <paramref name="now"/> at which a claim made then has just reached the end of its lease.</summary>
    private long LeaseEnded(long now) => now - (long)(_lease.TotalSeconds * time.TimestampFrequency);

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
    /// <param name="Payload">What another claimant needs to answer the event; null once it completed.</param>
    /// <param name="Attempts">How many claimants took the event so far.</param>
    private sealed record Held(Guid? Holder, long At, string? Payload, int Attempts);
}
