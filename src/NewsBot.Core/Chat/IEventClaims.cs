namespace NewsBot.Chat;

/// <summary>
/// Claims on the events a chat platform delivers, shared by every NewsBot process that receives them: the first
/// process to claim an event's key answers it, and a re-delivery of it (to this process or another) finds the
/// key taken. A claim first holds for a lease (<see cref="EventClaimsOptions.Lease"/>), which its claimant renews while
/// it answers, so that a claimant that crashes before it replies does not keep the question from a later re-delivery for
/// long, while a slow one keeps it; once the reply is sent the claimant completes it, and it holds for
/// <see cref="EventClaimsOptions.KeepFor"/>. Each index store shares its claims the way it shares
/// the index; one process alone keeps them in memory.
/// </summary>
public interface IEventClaims
{
    /// <summary>
    /// The claim on <paramref name="key"/>, new or taken over from a claimant whose lease ran out unfinished; null when
    /// it is held: by a claim still within its lease, or by a completed one within the keep time.
    /// </summary>
    /// <param name="key">Short and secret-free: it is stored as given (see <see cref="EventClaimKey"/>).</param>
    /// <param name="payload">
    /// What answering the event needs, kept with the claim until it is completed, so that another claimant can answer it
    /// when this one stops before answering (<see cref="TakeOverAbandonedAsync"/>); null for an event that cannot be
    /// answered that way.
    /// </param>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The claimant is still answering: its claim holds for a lease from now. False when the claim is no longer this
    /// claimant's: another took it over, it was completed or released, or the store forgot it.
    /// </summary>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// The event was answered: its claim holds for the keep time from now, and its payload is forgotten. Does nothing when the claim is no longer
    /// this claimant's (its lease ran out and another took it over).
    /// </summary>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// The event was not answered: the key is free at once for a re-delivery. Does nothing when the claim is no longer
    /// this claimant's.
    /// </summary>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// The claimant stops before answering (it is stopping, or answering failed on its side): a claim with a payload is
    /// left for <see cref="TakeOverAbandonedAsync"/> at once, as if its lease had run out; one without is released. Does
    /// nothing when the claim is no longer this claimant's.
    /// </summary>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over, for a new claimant, up to <paramref name="max"/> claims whose key starts with
    /// <paramref name="keyPrefix"/>, that carry a payload, whose claimant stopped answering (its lease ran out: it crashed or
    /// stalled, or it abandoned the claim) and that fewer than <paramref name="maxAttempts"/> claimants took so far: the
    /// events a platform will not deliver again because they were acknowledged. Each is taken by one caller only.
    /// </summary>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default);
}

/// <summary>An abandoned event taken over: the new claim, the payload its first claimant stored, and which claimant this is (2 for the first takeover).</summary>
public sealed record AbandonedEvent(EventClaim Claim, string Payload, int Attempt);

/// <summary>One claimant's claim on <paramref name="Key"/>; <paramref name="Holder"/> tells it from a later claimant's after a takeover.</summary>
public sealed record EventClaim(string Key, Guid Holder)
{
    public static EventClaim New(string key) => new(key, Guid.NewGuid());
}

/// <summary>The shared claims could not be reached or written; the message names the store, never a secret.</summary>
public sealed class EventClaimsUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
