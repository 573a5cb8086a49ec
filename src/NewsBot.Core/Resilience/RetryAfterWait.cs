namespace NewsBot.Resilience;

/// <summary>Waiting out a server's rate limit (Retry-After, a bucket's reset) without calling it again too soon.</summary>
public static class RetryAfterWait
{
    /// <summary>
    /// Waits until <paramref name="deadline"/> (a <see cref="TimeProvider.GetTimestamp"/> value) has passed. Timers tick in
    /// whole milliseconds and can wake a little before the high-resolution deadline (a Retry-After of 1 s was seen to end
    /// after 998.9 ms), and a call sent even slightly early is another 429, which platforms count against the caller.
    /// </summary>
    public static async Task DelayUntilAsync(this TimeProvider time, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (wait <= TimeSpan.Zero)
                return;
            await Task.Delay(wait + TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    /// <summary>Waits at least <paramref name="wait"/> from now; see <see cref="DelayUntilAsync"/>.</summary>
    public static Task DelayAtLeastAsync(this TimeProvider time, TimeSpan wait, CancellationToken cancellationToken) =>
        time.DelayUntilAsync(time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency), cancellationToken);
}
