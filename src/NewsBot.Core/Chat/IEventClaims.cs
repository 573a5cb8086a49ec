namespace NewsBot.Chat;

/// <summary>
/// Claims on the events a chat platform delivers, shared by every NewsBot process that receives them: the first
/// process to claim an event's key answers it, and a re-delivery of it (to this process or another) finds the
/// key taken. Each index store shares its claims the way it shares the index; one process alone keeps them in memory.
/// </summary>
public interface IEventClaims
{
    /// <summary>
    /// How long a claim holds. Slack re-delivers an event it saw no acknowledgement for over about five minutes;
    /// after this a key may be claimed anew, and the store may forget it.
    /// </summary>
    static TimeSpan DefaultKeepFor { get; } = TimeSpan.FromHours(1);

    /// <summary>True when this call claimed <paramref name="key"/>; false when it was claimed before and still holds.</summary>
    /// <param name="key">Short and secret-free: it is stored as given (see <see cref="EventClaimKey"/>).</param>
    /// <exception cref="EventClaimsUnavailableException">The store could not be reached or written.</exception>
    ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>The shared claims could not be reached or written; the message names the store, never a secret.</summary>
public sealed class EventClaimsUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
