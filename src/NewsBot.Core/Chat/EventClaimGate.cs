using Microsoft.Extensions.Logging;

namespace NewsBot.Chat;

/// <summary>
/// Decides whether this process answers an event, by its claim; and keeps an outage of the claim store from losing a
/// question: when the store fails, or does not answer within <see cref="ClaimTimeout"/>, the event is answered anyway
/// (a possible duplicate is better than a lost question) and one warning says so. The store is then left alone for
/// <see cref="RetryAfter"/>, so that an outage delays one event rather than each, and one line says when it is back.
/// </summary>
public sealed partial class EventClaimGate(IEventClaims claims, TimeProvider time, ILogger<EventClaimGate> logger)
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _state = new();
    private bool _failing;
    private long _failedAt;

    /// <summary>True when this process claimed <paramref name="key"/> or could not ask; false when another delivery claimed it.</summary>
    public async ValueTask<bool> ShouldAnswerAsync(string key, CancellationToken cancellationToken)
    {
        lock (_state)
        {
            if (_failing && time.GetElapsedTime(_failedAt) < RetryAfter)
                return true;
        }

        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var claimed = await claims.TryClaimAsync(key, linked.Token);
            Reachable();
            return claimed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Unreachable(ex switch
            {
                OperationCanceledException => $"no answer within {ClaimTimeout.TotalSeconds:0} s",
                EventClaimsUnavailableException => ex.Message,
                _ => $"{ex.GetType().Name}: {ex.Message}",
            });
            return true;
        }
    }

    private void Reachable()
    {
        lock (_state)
        {
            if (!_failing)
                return;
            _failing = false;
        }

        LogReachable();
    }

    private void Unreachable(string reason)
    {
        lock (_state)
        {
            var first = !_failing;
            _failing = true;
            _failedAt = time.GetTimestamp();
            if (!first)
                return;
        }

        LogUnreachable(reason, RetryAfter.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event claims unreachable ({Reason}); answering without them, so an event delivered again may be answered twice. Trying them again every {Seconds:0} s")]
    private partial void LogUnreachable(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event claims reachable again; each event is answered once")]
    private partial void LogReachable();
}
