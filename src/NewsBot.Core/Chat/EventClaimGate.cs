using Microsoft.Extensions.Logging;

namespace NewsBot.Chat;

/// <summary>
/// Decides whether this process answers an event, by its claim; and keeps an outage of the claim store from losing a
/// question: when the store fails, or does not answer within <see cref="ClaimTimeout"/>, the event is answered anyway
/// (a possible duplicate is better than a lost question) and one warning says so. The store is then left alone for
/// <see cref="RetryAfter"/>, so that an outage delays one event rather than each, and one line says when it is back.
/// Completing or releasing a claim goes the same way, and never fails the answer: at worst the lease runs out.
/// </summary>
public sealed partial class EventClaimGate(IEventClaims claims, TimeProvider time, ILogger<EventClaimGate> logger)
{
    // Constants rather than settings: a claim is one indexed write that takes milliseconds, so 2 s only ever ends an
    // outage's wait, and it must stay well inside the time a front end may spend before it answers (Discord's 3 s
    // interaction callback); 30 s bounds both the questions an outage delays and how soon the claims are used again.
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _state = new();
    private bool _failing;
    private long _failedAt;

    /// <summary>
    /// This process's claim on <paramref name="key"/>, which the caller completes once it replied or releases when it
    /// could not answer; an unshared one when the claims could not be asked; null when another delivery holds the key.
    /// </summary>
    public async ValueTask<ClaimedEvent?> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        if (LeftAlone())
            return new ClaimedEvent(this, null);

        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var claim = await claims.TryClaimAsync(key, linked.Token);
            Reachable();
            return claim is null ? null : new ClaimedEvent(this, claim);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Unreachable(ex);
            return new ClaimedEvent(this, null);
        }
    }

    /// <summary>Completes or releases <paramref name="claim"/>; a failure is logged as an outage, never thrown.</summary>
    internal async ValueTask FinishAsync(EventClaim claim, bool answered)
    {
        if (LeftAlone())
            return;

        // Not the caller's token: a claim is finished also when the caller is stopping (and releases it for that reason).
        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        try
        {
            if (answered)
                await claims.CompleteAsync(claim, timeout.Token);
            else
                await claims.ReleaseAsync(claim, timeout.Token);
            Reachable();
        }
        catch (Exception ex)
        {
            Unreachable(ex);
        }
    }

    private bool LeftAlone()
    {
        lock (_state)
            return _failing && time.GetElapsedTime(_failedAt) < RetryAfter;
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

    private void Unreachable(Exception ex)
    {
        lock (_state)
        {
            var first = !_failing;
            _failing = true;
            _failedAt = time.GetTimestamp();
            if (!first)
                return;
        }

        LogUnreachable(ex switch
        {
            OperationCanceledException => $"no answer within {ClaimTimeout.TotalSeconds:0} s",
            EventClaimsUnavailableException => ex.Message,
            _ => $"{ex.GetType().Name}: {ex.Message}",
        }, RetryAfter.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event claims unreachable ({Reason}); answering without them, so an event delivered again may be answered twice. Trying them again every {Seconds:0} s")]
    private partial void LogUnreachable(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event claims reachable again; each event is answered once")]
    private partial void LogReachable();
}

/// <summary>
/// This process's claim on an event while it answers it: <see cref="CompleteAsync"/> once the reply was sent,
/// <see cref="ReleaseAsync"/> when it could not answer, so that a re-delivery is answered. Neither throws, and each
/// waits at most <see cref="EventClaimGate.ClaimTimeout"/>. Without a shared claim (the store could not be asked) both do nothing.
/// </summary>
public sealed class ClaimedEvent
{
    private readonly EventClaimGate _gate;
    private readonly EventClaim? _claim;

    internal ClaimedEvent(EventClaimGate gate, EventClaim? claim) => (_gate, _claim) = (gate, claim);

    public ValueTask CompleteAsync() => _claim is null ? ValueTask.CompletedTask : _gate.FinishAsync(_claim, answered: true);

    public ValueTask ReleaseAsync() => _claim is null ? ValueTask.CompletedTask : _gate.FinishAsync(_claim, answered: false);

    /// <summary>
    /// Runs <paramref name="answer"/>, then completes the claim when it answered, or releases it when it did not or
    /// threw (the exception goes on), so that a re-delivery of an unanswered event is answered rather than dropped.
    /// </summary>
    /// <param name="answer">True when the event was answered.</param>
    public async Task AnswerAsync(Func<Task<bool>> answer)
    {
        bool answered;
        try
        {
            answered = await answer();
        }
        catch
        {
            await ReleaseAsync();
            throw;
        }

        await (answered ? CompleteAsync() : ReleaseAsync());
    }

    /// <summary>As <see cref="AnswerAsync(Func{Task{bool}})"/>, for handling that answers whenever it returns.</summary>
    public Task AnswerAsync(Func<Task> answer) => AnswerAsync(async () =>
    {
        await answer();
        return true;
    });
}
