using Microsoft.Extensions.Logging;
using NewsBot.Chat;
using NewsBot.Testing.Logging;
using NewsBot.Testing.Time;

namespace NewsBot.Core.Tests.Chat;

public sealed class EventClaimsTests
{
    [Fact]
    public async Task In_memory_a_key_is_claimed_once_until_the_keep_time_has_passed()
    {
        var clock = new JumpingClock();
        var claims = new InMemoryEventClaims(clock);

        Assert.True(await claims.TryClaimAsync("k"));
        Assert.False(await claims.TryClaimAsync("k"));
        Assert.True(await claims.TryClaimAsync("other"));
        clock.Jump(IEventClaims.DefaultKeepFor - TimeSpan.FromSeconds(1));
        Assert.False(await claims.TryClaimAsync("k"));
        clock.Jump(TimeSpan.FromSeconds(1));
        Assert.True(await claims.TryClaimAsync("k"));
        Assert.False(await claims.TryClaimAsync("k"));
    }

    [Fact]
    public async Task In_memory_at_most_MaxKeys_are_kept_the_oldest_forgotten_first()
    {
        var claims = new InMemoryEventClaims(new JumpingClock());
        for (var i = 0; i <= InMemoryEventClaims.MaxKeys; i++)
            Assert.True(await claims.TryClaimAsync($"k{i}"));

        Assert.True(await claims.TryClaimAsync("one more"));

        Assert.True(await claims.TryClaimAsync("k0"));
        Assert.False(await claims.TryClaimAsync($"k{InMemoryEventClaims.MaxKeys}"));
    }

    [Fact]
    public void Keys_are_short_name_no_id_and_differ_for_different_ids()
    {
        var key = EventClaimKey.For("slack", "T0NEWSROOM", "C0NEWSDESK", "1764400000.000101");

        Assert.Matches("^slack:[0-9a-f]{32}$", key);
        Assert.Equal(key, EventClaimKey.For("slack", "T0NEWSROOM", "C0NEWSDESK", "1764400000.000101"));
        Assert.NotEqual(key, EventClaimKey.For("slack", "T0NEWSROOM", "C0NEWSDESK", "1764400000.000102"));
        Assert.NotEqual(key, EventClaimKey.For("slack", "T0NEWSROOMC0NEWSDESK", "", "1764400000.000101"));
    }

    [Fact]
    public async Task A_failing_store_answers_anyway_warns_once_is_left_alone_for_a_while_and_its_return_is_logged()
    {
        var clock = new JumpingClock();
        var store = new ScriptedClaims((_, _) => throw new EventClaimsUnavailableException("cannot reach the claims (test)"));
        var (gate, logs) = Gate(store, clock);

        Assert.True(await gate.ShouldAnswerAsync("a", CancellationToken.None));
        Assert.True(await gate.ShouldAnswerAsync("a", CancellationToken.None));
        Assert.Equal(1, store.Calls);
        clock.Jump(EventClaimGate.RetryAfter);
        Assert.True(await gate.ShouldAnswerAsync("a", CancellationToken.None));
        Assert.Equal(2, store.Calls);

        store.Claim = (_, _) => ValueTask.FromResult(false);
        Assert.True(await gate.ShouldAnswerAsync("b", CancellationToken.None)); // still left alone
        clock.Jump(EventClaimGate.RetryAfter);
        Assert.False(await gate.ShouldAnswerAsync("b", CancellationToken.None));
        Assert.False(await gate.ShouldAnswerAsync("b", CancellationToken.None));

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Event claims unreachable (cannot reach the claims (test))", warning.Message, StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Message.Contains("reachable again", StringComparison.Ordinal));
        Assert.Equal(4, store.Calls);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_in_time_counts_as_unreachable_but_stopping_is_not_an_outage()
    {
        var store = new ScriptedClaims(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        var (gate, logs) = Gate(store, TimeProvider.System);

        Assert.True(await gate.ShouldAnswerAsync("slow", CancellationToken.None));
        Assert.Contains(logs.Entries, e => e.Message.Contains("no answer within 2 s", StringComparison.Ordinal));

        var (stopping, quiet) = Gate(store, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var claim = stopping.ShouldAnswerAsync("k", stop.Token).AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => claim);
        Assert.Empty(quiet.Entries);
    }

    private static (EventClaimGate Gate, TestLogs Logs) Gate(IEventClaims claims, TimeProvider time)
    {
        var logs = new TestLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return (new EventClaimGate(claims, time, factory.CreateLogger<EventClaimGate>()), logs);
    }

    private sealed class ScriptedClaims(Func<string, CancellationToken, ValueTask<bool>> claim) : IEventClaims
    {
        private int _calls;

        public Func<string, CancellationToken, ValueTask<bool>> Claim { get; set; } = claim;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Claim(key, cancellationToken);
        }
    }
}
