using Microsoft.Extensions.Time.Testing;
using NewsBot.Resilience;

namespace NewsBot.Core.Tests.Resilience;

public class RetryAfterWaitTests
{
    [Fact]
    public async Task A_retry_after_is_waited_out_in_full_never_a_tick_early()
    {
        var time = new FakeTimeProvider();

        var waiting = time.DelayAtLeastAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_deadline_already_passed_returns_at_once()
    {
        var time = new FakeTimeProvider();
        var deadline = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(1));

        await time.DelayUntilAsync(deadline, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_the_wait_ends_it()
    {
        var time = new FakeTimeProvider();
        using var cancellation = new CancellationTokenSource();

        var waiting = time.DelayAtLeastAsync(TimeSpan.FromMinutes(1), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
