namespace NewsBot.Testing.Time;

/// <summary>
/// The system clock, which a test can move forward at once (<see cref="Jump"/>): elapsed times and "now" include every
/// jump, while timers and delays still run in real time, so a host's heartbeats and retries behave as usual when a test
/// lets a quarter of an hour pass.
/// </summary>
public sealed class JumpingClock : TimeProvider
{
    private long _jumpedTicks;

    public TimeSpan Jumped => TimeSpan.FromTicks(Interlocked.Read(ref _jumpedTicks));

    public void Jump(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _jumpedTicks, by.Ticks);
    }

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Jumped.TotalSeconds * TimestampFrequency);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Jumped;
}
