namespace NewsBot.Resilience;

/// <summary>
/// Waits between attempts to reach something that stopped answering (a chat platform's socket, the index store):
/// <see cref="First"/>, then twice as long after each further failure, never longer than <see cref="Ceiling"/>.
/// </summary>
public readonly record struct ReconnectBackoff(TimeSpan First, TimeSpan Ceiling)
{
    /// <summary>
    /// The wait after <paramref name="failures"/> failures in a row (1 = the first failure). At least a millisecond even
    /// when <see cref="First"/> is zero, so that a server refusing at once cannot make the caller spin.
    /// </summary>
    public TimeSpan Delay(int failures)
    {
        var doubled = Math.Max(First.Ticks, TimeSpan.TicksPerMillisecond) * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(Ceiling.Ticks, doubled)));
    }

    /// <summary>
    /// A random point in the upper half of <see cref="Delay"/>: many bots that lost the same server at once then do
    /// not all come back in the same instant.
    /// </summary>
    public TimeSpan Jittered(int failures, Random random)
    {
        var delay = Delay(failures);
        return (delay / 2) + (delay / 2 * random.NextDouble());
    }
}
