using NewsBot.Resilience;

namespace NewsBot.Core.Tests.Resilience;

public sealed class ReconnectBackoffTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 30)]
    [InlineData(1000, 30)]
    public void Each_failure_doubles_the_wait_up_to_the_ceiling(int failures, int expectedSeconds)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), backoff.Delay(failures));
    }

    [Fact]
    public void A_zero_first_wait_still_waits_and_grows()
    {
        var backoff = new ReconnectBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(1), backoff.Delay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(4), backoff.Delay(3));
        Assert.Equal(TimeSpan.FromMilliseconds(1), new ReconnectBackoff(TimeSpan.Zero, TimeSpan.Zero).Delay(5));
    }

    [Fact]
    public void A_jittered_wait_lies_in_the_upper_half_of_the_wait_and_varies()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var random = new Random(3);

        var waits = Enumerable.Range(0, 50).Select(_ => backoff.Jittered(4, random)).ToList();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)));
        Assert.True(waits.Distinct().Count() > 40);
    }
}
