using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Chat;

/// <summary>
/// Decides whether this process answers an event, by its claim; and keeps an outage of the claim store from losing a
/// question: when the store fails, or does not answer within <see cref="ClaimTimeout"/>, the event is answered anyway
/// (a possible duplicate is better than a lost question) and one warning says so. The store is then left alone for
/// <see cref="RetryAfter"/>, so that an outage delays one event rather than each, and one line says when it is back.
/// Renewing, completing or releasing a claim goes the same way, and never fails the answer: at worst the lease runs out.
/// </summary>
public sealed partial class EventClaimGate(IEventClaims claims, TimeProvider time, IOptions<EventClaimsOptions> options, ILogger<EventClaimGate> logger)
{
    // Constants rather than settings: a claim is one indexed write that takes milliseconds, so 2 s only ever ends an
    // outage's wait, and it must stay well inside the time a front end may spend before it answers (Discord's 3 s
    // interaction callback); 30 s bounds both the questions an outage delays and how soon the claims are used again.
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many claimants may take one event in all: a crash can be the event's own doing (a question that brings the
    /// process down), and a third try that ends the same way shows it is, so nobody takes it again.
    /// </summary>
    public const int MaxAttempts = 3;

    // Taken over per look: they wait for an answer slot like any question, and the rest are left to the next look or to
    // other processes.
    private const int RecoverAtOnce = 16;

    // Three renewals per lease, so that one late or failed renewal still leaves the claim held. At least a millisecond,
    // the shortest period a timer takes, for a lease of a few milliseconds (valid, if useless).
    private readonly TimeSpan _renewEvery = TimeSpan.FromTicks(Math.Max(options.Value.Lease.Ticks / 3, TimeSpan.TicksPerMillisecond));
    private readonly TimeSpan _recoverEvery = options.Value.RecoverEvery;
    private readonly Lock _state = new();
    private bool _failing;
    private long _failedAt;

    /// <summary>
    /// This process's claim on <paramref name="key"/>, which the caller completes once it replied or releases when it
    /// could not answer; an unshared one when the claims could not be asked; null when another delivery holds the key.
    /// </summary>
    /// <param name="payload">What another process needs to answer the event should this one stop first (see <see cref="IEventClaims.TryClaimAsync"/>).</param>
    public async ValueTask<ClaimedEvent?> TryClaimAsync(string key, CancellationToken cancellationToken) => await TryClaimAsync(key, null, cancellationToken);

    /// <inheritdoc cref="TryClaimAsync(string, CancellationToken)"/>
    public async ValueTask<ClaimedEvent?> TryClaimAsync(string key, string? payload, CancellationToken cancellationToken)
    {
        if (LeftAlone())
            return new ClaimedEvent(this, null);

        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var claim = await claims.TryClaimAsync(key, payload, linked.Token);
            Reachable();
            return claim is null ? null : new ClaimedEvent(this, claim);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Unreachable(ex);
            return new ClaimedEvent(this, null);
        }
    }

    /// <summary>
    /// Answers, through <paramref name="answer"/>, the events under <paramref name="keyPrefix"/> that a claimant acknowledged
    /// and then stopped answering: it crashed, stalled past its lease, or stopped and abandoned them (the platform will not
    /// deliver them again). Looks at once and then every <see cref="EventClaimsOptions.RecoverEvery"/> until
    /// <paramref name="cancellationToken"/> is cancelled; an event is taken at most <see cref="MaxAttempts"/> times in all, so
    /// that one whose answering brings its process down is given up. Never throws; the store's outages are logged as for
    /// claims.
    /// </summary>
    /// <param name="answer">Starts answering the event from its payload, and completes or abandons the claim when done.</param>
    public async Task RecoverAbandonedAsync(string keyPrefix, Action<ClaimedEvent, string> answer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_recoverEvery, time);
        try
        {
            do
            {
                foreach (var abandoned in await TakeOverAbandonedAsync(keyPrefix, cancellationToken))
                {
                    LogTakenOver(abandoned.Claim.Key, abandoned.Attempt, MaxAttempts);
                    answer(new ClaimedEvent(this, abandoned.Claim), abandoned.Payload);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        if (LeftAlone())
            return [];

        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var taken = await claims.TakeOverAbandonedAsync(keyPrefix, MaxAttempts, RecoverAtOnce, linked.Token);
            Reachable();
            return taken;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Unreachable(ex);
            return [];
        }
    }

    /// <summary>Completes, releases or abandons <paramref name="claim"/>; a failure is logged as an outage, never thrown.</summary>
    internal async ValueTask FinishAsync(EventClaim claim, ClaimOutcome outcome)
    {
        if (LeftAlone())
            return;

        // Not the caller's token: a claim is finished also when the caller is stopping (and releases it for that reason).
        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        try
        {
            await (outcome switch
            {
                ClaimOutcome.Answered => claims.CompleteAsync(claim, timeout.Token),
                ClaimOutcome.Unanswerable => claims.ReleaseAsync(claim, timeout.Token),
                _ => claims.AbandonAsync(claim, timeout.Token),
            });
            Reachable();
        }
        catch (Exception ex)
        {
            Unreachable(ex);
        }
    }

    /// <summary>
    /// Renews <paramref name="claim"/> every third of the lease until <paramref name="held"/> is cancelled, so that
    /// neither a re-delivery nor a look for abandoned events takes over an event still waiting or being answered. A claim found lost (its claimant stalled past
    /// the lease, or the store forgot it) gets one warning and no more renewals; a store that fails is an outage.
    /// Never throws.
    /// </summary>
    internal async Task RenewWhileHeldAsync(EventClaim claim, CancellationToken held)
    {
        using var renewals = new PeriodicTimer(_renewEvery, time);
        try
        {
            while (await renewals.WaitForNextTickAsync(held))
            {
                if (await TryRenewAsync(claim, held) is false)
                {
                    LogClaimLost(claim.Key);
                    return;
                }
            }
        }
        catch (Exception) when (held.IsCancellationRequested)
        {
            // The claim was finished, maybe with a renewal under way, which no longer matters.
        }
    }

    /// <returns>Whether the claim is still this process's; null when the store could not be asked.</returns>
    private async ValueTask<bool?> TryRenewAsync(EventClaim claim, CancellationToken answering)
    {
        if (LeftAlone())
            return null;

        using var timeout = new CancellationTokenSource(ClaimTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(answering, timeout.Token);
        try
        {
            var renewed = await claims.RenewAsync(claim, linked.Token);
            Reachable();
            return renewed;
        }
        catch (Exception ex) when (!answering.IsCancellationRequested)
        {
            Unreachable(ex);
            return null;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering event {Key}, whose claimant stopped before replying (claimant {Attempt} of at most {MaxAttempts})")]
    private partial void LogTakenOver(string key, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the claim on event {Key} while still answering it (not renewed within its lease, or forgotten by the store); answering anyway, so a re-delivery may be answered twice")]
    private partial void LogClaimLost(string key);
}

/// <summary>How a claimant's answering of an event ended.</summary>
internal enum ClaimOutcome
{
    /// <summary>The reply was sent.</summary>
    Answered,

    /// <summary>No answer could be found (the asker was told): a re-delivery may do better, a takeover would not.</summary>
    Unanswerable,

    /// <summary>The claimant stopped before it replied: another claimant answers the event from its payload.</summary>
    Abandoned,
}

/// <summary>
/// This process's claim on an event while it answers it: <see cref="CompleteAsync"/> once the reply was sent,
/// <see cref="ReleaseAsync"/> when it could not answer, so that a re-delivery is answered, <see cref="AbandonAsync"/>
/// when it stops before answering, so that another claimant answers. None throws, and each waits at most
/// <see cref="EventClaimGate.ClaimTimeout"/>. Without a shared claim (the store could not be asked) they do nothing.
/// </summary>
public sealed class ClaimedEvent
{
    private readonly EventClaimGate _gate;
    private readonly EventClaim? _claim;
    private readonly CancellationTokenSource? _held;
    private readonly Task _renewing = Task.CompletedTask;
    private int _renewalsStopped;

    /// <summary>
    /// Renews <paramref name="claim"/> from now until it is finished: while the event waits for an answer slot as well as
    /// while it is answered, so that a long queue does not let another claimant take it over.
    /// </summary>
    internal ClaimedEvent(EventClaimGate gate, EventClaim? claim)
    {
        (_gate, _claim) = (gate, claim);
        if (claim is null)
            return;
        _held = new CancellationTokenSource();
        _renewing = gate.RenewWhileHeldAsync(claim, _held.Token);
    }

    public ValueTask CompleteAsync() => FinishAsync(ClaimOutcome.Answered);

    public ValueTask ReleaseAsync() => FinishAsync(ClaimOutcome.Unanswerable);

    public ValueTask AbandonAsync() => FinishAsync(ClaimOutcome.Abandoned);

    private async ValueTask FinishAsync(ClaimOutcome outcome)
    {
        if (_claim is null)
            return;
        if (Interlocked.Exchange(ref _renewalsStopped, 1) == 0)
            await _held!.CancelAsync();

        // Renewals are over before the claim is finished, so that none renews a completed claim; a finish that failed
        // (the store was unreachable) may be asked again.
        await _renewing;
        await _gate.FinishAsync(_claim, outcome);
    }

    /// <summary>
    /// Runs <paramref name="answer"/>; then completes the claim when it answered, releases it when it did not, so that a
    /// re-delivery of an unanswered event is answered rather than dropped, and abandons it when it threw (stopping
    /// included; the exception goes on), so that another claimant answers it from its payload.
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
            await AbandonAsync();
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
