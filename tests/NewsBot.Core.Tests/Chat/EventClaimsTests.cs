using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Chat;
using NewsBot.Testing.Logging;
using NewsBot.Testing.Time;

namespace NewsBot.Core.Tests.Chat;

public sealed class EventClaimsTests
{
    [Fact]
    public async Task In_memory_an_unfinished_claim_holds_for_the_lease_and_a_completed_one_for_the_keep_time()
    {
        var time = new FakeTimeProvider();
        var options = new EventClaimsOptions();
        var claims = new InMemoryEventClaims(time, options);

        var first = await claims.TryClaimAsync("k");
        Assert.NotNull(first);
        Assert.Null(await claims.TryClaimAsync("k"));
        Assert.NotNull(await claims.TryClaimAsync("other"));
        time.Advance(options.Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await claims.TryClaimAsync("k"));
        time.Advance(TimeSpan.FromSeconds(1));
        var takenOver = await claims.TryClaimAsync("k");
        Assert.NotNull(takenOver);

        // The first claimant comes back too late: its completion must not turn the new claim into a completed one.
        await claims.CompleteAsync(first);
        time.Advance(options.Lease);
        Assert.NotNull(await claims.TryClaimAsync("k"));

        var done = await claims.TryClaimAsync("done");
        await claims.CompleteAsync(done!);
        time.Advance(options.KeepFor - TimeSpan.FromSeconds(1));
        Assert.Null(await claims.TryClaimAsync("done"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await claims.TryClaimAsync("done"));
    }

    [Fact]
    public async Task In_memory_a_renewed_claim_holds_for_a_lease_from_its_renewal_and_one_no_longer_its_holders_is_not_renewed()
    {
        var time = new FakeTimeProvider();
        var options = new EventClaimsOptions();
        var claims = new InMemoryEventClaims(time, options);

        var slow = (await claims.TryClaimAsync("slow"))!;
        time.Advance(options.Lease - TimeSpan.FromSeconds(1));
        Assert.True(await claims.RenewAsync(slow));
        time.Advance(TimeSpan.FromSeconds(1)); // the first lease ran out
        Assert.Null(await claims.TryClaimAsync("slow"));
        time.Advance(options.Lease - TimeSpan.FromSeconds(1)); // and so did the renewed one
        var takenOver = (await claims.TryClaimAsync("slow"))!;
        Assert.NotNull(takenOver);
        Assert.False(await claims.RenewAsync(slow));
        Assert.True(await claims.RenewAsync(takenOver));

        await claims.CompleteAsync(takenOver);
        Assert.False(await claims.RenewAsync(takenOver));
        var released = (await claims.TryClaimAsync("released"))!;
        await claims.ReleaseAsync(released);
        Assert.False(await claims.RenewAsync(released));
        var forgotten = (await claims.TryClaimAsync("forgotten"))!;
        time.Advance(options.KeepFor);
        Assert.False(await claims.RenewAsync(forgotten));
    }

    [Fact]
    public async Task In_memory_a_released_claim_is_free_at_once_but_a_stale_release_frees_nothing()
    {
        var time = new FakeTimeProvider();
        var claims = new InMemoryEventClaims(time);
        var first = (await claims.TryClaimAsync("k"))!;

        await claims.ReleaseAsync(first);
        var second = await claims.TryClaimAsync("k");

        Assert.NotNull(second);
        await claims.ReleaseAsync(first);
        Assert.Null(await claims.TryClaimAsync("k"));
    }

    [Fact]
    public async Task In_memory_an_abandoned_or_expired_claim_with_a_payload_is_taken_over_once_under_its_prefix_up_to_the_last_attempt()
    {
        var time = new FakeTimeProvider();
        var claims = new InMemoryEventClaims(time);
        var abandoned = (await claims.TryClaimAsync("a:abandoned", "question 1"))!;
        Assert.NotNull(await claims.TryClaimAsync("a:stalled", "question 2"));
        Assert.NotNull(await claims.TryClaimAsync("a:plain"));
        await claims.CompleteAsync((await claims.TryClaimAsync("a:answered", "question 3"))!);
        Assert.NotNull(await claims.TryClaimAsync("b:elsewhere", "question 4"));

        await claims.AbandonAsync(abandoned);
        var atOnce = Assert.Single(await claims.TakeOverAbandonedAsync("a:", 3, 10));
        Assert.Equal(("a:abandoned", "question 1", 2), (atOnce.Claim.Key, atOnce.Payload, atOnce.Attempt));
        Assert.Empty(await claims.TakeOverAbandonedAsync("a:", 3, 10));

        time.Advance(new EventClaimsOptions().Lease);
        Assert.Equal(["a:abandoned", "a:stalled"], (await claims.TakeOverAbandonedAsync("a:", 3, 10)).Select(t => t.Claim.Key).Order());
        time.Advance(new EventClaimsOptions().Lease);
        Assert.Equal(["a:stalled"], (await claims.TakeOverAbandonedAsync("a:", 3, 10)).Select(t => t.Claim.Key));
        Assert.Equal(["b:elsewhere"], (await claims.TakeOverAbandonedAsync("b:", 3, 10)).Select(t => t.Claim.Key));
    }

    [Fact]
    public async Task The_gate_hands_each_abandoned_event_to_the_front_end_with_a_warning_and_an_answer_that_throws_abandons_its_claim()
    {
        var time = new FakeTimeProvider();
        var store = new WatchedClaims(new InMemoryEventClaims(time));
        var (gate, logs) = Gate(store, time, new EventClaimsOptions { RecoverEvery = TimeSpan.FromSeconds(10) });
        var claimed = (await gate.TryClaimAsync("slack/T1:k", "the question", CancellationToken.None))!;

        await Assert.ThrowsAsync<InvalidOperationException>(() => claimed.AnswerAsync(() => throw new InvalidOperationException("posting failed")));
        Assert.Equal(["claim slack/T1:k", "abandon slack/T1:k"], store.Operations);

        var handed = new ConcurrentQueue<(ClaimedEvent Claim, string Payload)>();
        using var stop = new CancellationTokenSource();
        var recovering = gate.RecoverAbandonedAsync("slack/T1:", (claim, payload) => handed.Enqueue((claim, payload)), stop.Token);
        await WaitUntilAsync(() => !handed.IsEmpty);
        var (takenClaim, payload) = Assert.Single(handed);
        Assert.Equal("the question", payload);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Answering event slack/T1:k, whose claimant stopped before replying (claimant 2 of at most 3)", StringComparison.Ordinal));

        // Taken: the next looks find nothing until the new claimant, too, stops answering.
        time.Advance(TimeSpan.FromSeconds(10));
        await takenClaim.AbandonAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => handed.Count == 2);
        await stop.CancelAsync();
        await recovering.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_claim_is_renewed_from_when_it_is_taken_so_a_question_waiting_for_a_slot_is_not_taken_over()
    {
        var time = new FakeTimeProvider();
        var shared = new InMemoryEventClaims(time);
        var store = new WatchedClaims(shared);
        var (gate, _) = Gate(store, time);
        var waiting = (await gate.TryClaimAsync("a:queued", "the question", CancellationToken.None))!;

        for (var renewal = 0; renewal < 6; renewal++)
        {
            time.Advance(Lease / 3);
            Assert.True(await store.Renewed.WaitAsync(TimeSpan.FromSeconds(10)), $"renewal {renewal + 1}");
        }

        Assert.Empty(await shared.TakeOverAbandonedAsync("a:", EventClaimGate.MaxAttempts, 10));
        await waiting.AbandonAsync();
        Assert.Single(await shared.TakeOverAbandonedAsync("a:", EventClaimGate.MaxAttempts, 10));
        time.Advance(Lease);
        Assert.False(await store.Renewed.WaitAsync(TimeSpan.FromMilliseconds(200)), "renewed an abandoned claim");
    }

    [Fact]
    public async Task In_memory_at_most_MaxKeys_are_kept_the_oldest_forgotten_first()
    {
        var claims = new InMemoryEventClaims(new FakeTimeProvider());
        for (var i = 0; i <= InMemoryEventClaims.MaxKeys; i++)
            Assert.NotNull(await claims.TryClaimAsync($"k{i}"));

        Assert.NotNull(await claims.TryClaimAsync("one more"));

        Assert.NotNull(await claims.TryClaimAsync("k0"));
        Assert.Null(await claims.TryClaimAsync($"k{InMemoryEventClaims.MaxKeys}"));
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

        Assert.NotNull(await gate.TryClaimAsync("a", CancellationToken.None));
        Assert.NotNull(await gate.TryClaimAsync("a", CancellationToken.None));
        Assert.Equal(1, store.Calls);
        clock.Jump(EventClaimGate.RetryAfter);
        Assert.NotNull(await gate.TryClaimAsync("a", CancellationToken.None));
        Assert.Equal(2, store.Calls);

        store.Claim = (_, _) => ValueTask.FromResult<EventClaim?>(null);
        Assert.NotNull(await gate.TryClaimAsync("b", CancellationToken.None)); // still left alone
        clock.Jump(EventClaimGate.RetryAfter);
        Assert.Null(await gate.TryClaimAsync("b", CancellationToken.None));
        Assert.Null(await gate.TryClaimAsync("b", CancellationToken.None));

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
            return null;
        });
        var (gate, logs) = Gate(store, TimeProvider.System);

        Assert.NotNull(await gate.TryClaimAsync("slow", CancellationToken.None));
        Assert.Contains(logs.Entries, e => e.Message.Contains("no answer within 2 s", StringComparison.Ordinal));

        var (stopping, quiet) = Gate(store, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var claim = stopping.TryClaimAsync("k", stop.Token).AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => claim);
        Assert.Empty(quiet.Entries);
    }

    [Fact]
    public async Task Completing_or_releasing_on_a_failing_store_never_throws_and_warns_once_and_a_claim_made_without_the_store_finishes_quietly()
    {
        var clock = new JumpingClock();
        var store = new ScriptedClaims((key, _) => ValueTask.FromResult<EventClaim?>(EventClaim.New(key)));
        var (gate, logs) = Gate(store, clock);
        var answered = (await gate.TryClaimAsync("a", CancellationToken.None))!;
        var failed = (await gate.TryClaimAsync("b", CancellationToken.None))!;
        store.Finish = (_, _) => throw new EventClaimsUnavailableException("cannot reach the claims (test)");

        await answered.CompleteAsync();
        await failed.ReleaseAsync();

        Assert.Equal(["complete a"], store.Finished);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Event claims unreachable (cannot reach the claims (test))", warning.Message, StringComparison.Ordinal);

        // Left alone: a claim made meanwhile is the process's own, and finishing it asks no store.
        var unshared = (await gate.TryClaimAsync("c", CancellationToken.None))!;
        await unshared.CompleteAsync();
        Assert.Equal(2, store.Calls);
        Assert.Single(store.Finished);

        clock.Jump(EventClaimGate.RetryAfter);
        store.Finish = (_, _) => ValueTask.CompletedTask;
        await failed.ReleaseAsync();
        Assert.Equal(["complete a", "release b"], store.Finished);
    }

    [Fact]
    public async Task An_answer_running_longer_than_the_lease_keeps_its_claim_and_the_renewals_stop_before_it_is_completed()
    {
        var time = new FakeTimeProvider();
        var store = new WatchedClaims(new InMemoryEventClaims(time));
        var (gate, logs) = Gate(store, time);
        var claimed = (await gate.TryClaimAsync("slow", CancellationToken.None))!;
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        var answering = claimed.AnswerAsync(() => reply.Task);
        for (var renewal = 0; renewal < 4; renewal++)
        {
            time.Advance(Lease / 3);
            Assert.True(await store.Renewed.WaitAsync(TimeSpan.FromSeconds(10)), $"renewal {renewal + 1}");
        }

        // Four thirds of a lease after the claim: a re-delivery would have taken it over without the renewals.
        Assert.Null(await store.TryClaimAsync("slow"));
        reply.SetResult(true);
        await answering.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(Lease);

        Assert.False(await store.Renewed.WaitAsync(TimeSpan.FromMilliseconds(300)), "renewed after the answer");
        Assert.Equal(["claim slow", "renew slow", "renew slow", "renew slow", "renew slow", "claim slow", "complete slow"], store.Operations);
        Assert.Null(await store.TryClaimAsync("slow"));
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task A_claim_found_lost_while_answering_gets_one_warning_no_more_renewals_and_the_answer_goes_on()
    {
        var time = new FakeTimeProvider();
        var shared = new InMemoryEventClaims(time);
        var store = new WatchedClaims(shared);
        var (gate, logs) = Gate(store, time);
        var claimed = (await gate.TryClaimAsync("k", CancellationToken.None))!;
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answering = claimed.AnswerAsync(() => reply.Task);

        // Where a process stalled past its lease: another process took the claim over.
        await shared.ReleaseAsync(store.Claimed.Single());
        var takeover = (await shared.TryClaimAsync("k"))!;
        time.Advance(Lease / 3);
        Assert.True(await store.Renewed.WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(Lease / 3);
        Assert.False(await store.Renewed.WaitAsync(TimeSpan.FromMilliseconds(300)), "renewed a lost claim");
        Assert.False(answering.IsCompleted);
        reply.SetResult(true);
        await answering.WaitAsync(TimeSpan.FromSeconds(10));

        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Lost the claim on event k while still answering it", warning.Message, StringComparison.Ordinal);
        Assert.True(await shared.RenewAsync(takeover));
    }

    [Fact]
    public async Task A_store_failing_to_renew_is_an_outage_warned_once_that_never_fails_the_answer_and_renewals_go_on()
    {
        var time = new FakeTimeProvider();
        var store = new WatchedClaims(new InMemoryEventClaims(time)) { RenewFailure = new EventClaimsUnavailableException("cannot reach the claims (test)") };
        var (gate, logs) = Gate(store, time);
        var claimed = (await gate.TryClaimAsync("k", CancellationToken.None))!;
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answering = claimed.AnswerAsync(() => reply.Task);

        for (var renewal = 0; renewal < 2; renewal++)
        {
            time.Advance(Lease / 3);
            Assert.True(await store.Renewed.WaitAsync(TimeSpan.FromSeconds(10)), $"renewal {renewal + 1}");
        }

        store.RenewFailure = null;
        time.Advance(Lease / 3);
        Assert.True(await store.Renewed.WaitAsync(TimeSpan.FromSeconds(10)), "renewal once reachable");
        reply.SetResult(true);
        await answering.WaitAsync(TimeSpan.FromSeconds(10));

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Event claims unreachable (cannot reach the claims (test))", warning.Message, StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.Message.Contains("reachable again", StringComparison.Ordinal));
        Assert.Equal("complete k", store.Operations[^1]);
    }

    [Theory]
    [InlineData("Lease", "00:00:00", "FrontEnds:Claims:Lease must be greater than 0")]
    [InlineData("Lease", "02:00:00", "FrontEnds:Claims:Lease must be greater than 0 and not above FrontEnds:Claims:KeepFor")]
    [InlineData("KeepFor", "-00:00:01", "FrontEnds:Claims:KeepFor must be greater than 0")]
    [InlineData("KeepFor", "2.00:00:00", "at most 1 day")]
    [InlineData("RecoverEvery", "00:00:00", "FrontEnds:Claims:RecoverEvery must be greater than 0 and at most 1 day")]
    public async Task Claim_settings_out_of_range_stop_the_host_at_start_with_one_line_naming_the_key(string key, string value, string expected)
    {
        using var host = ClaimsHost(new Dictionary<string, string?> { [$"FrontEnds:Claims:{key}"] = value }, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Failures.First());
    }

    [Fact]
    public async Task The_claims_a_front_end_gets_hold_for_the_configured_lease_and_keep_time()
    {
        var time = new FakeTimeProvider();
        using var host = ClaimsHost(new Dictionary<string, string?> { ["FrontEnds:Claims:Lease"] = "00:00:10", ["FrontEnds:Claims:KeepFor"] = "00:01:00" }, time);
        await host.StartAsync();
        var claims = host.Services.GetRequiredService<IEventClaims>();

        Assert.NotNull(await claims.TryClaimAsync("crashed"));
        await claims.CompleteAsync((await claims.TryClaimAsync("answered"))!);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.NotNull(await claims.TryClaimAsync("crashed"));
        Assert.Null(await claims.TryClaimAsync("answered"));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(await claims.TryClaimAsync("answered"));
        await host.StopAsync();
    }

    private static IHost ClaimsHost(Dictionary<string, string?> settings, TimeProvider time)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(time);
        builder.Services.AddEventClaims(builder.Configuration);
        return builder.Build();
    }

    private static TimeSpan Lease { get; } = new EventClaimsOptions().Lease;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out");
            await Task.Delay(10);
        }
    }

    private static (EventClaimGate Gate, TestLogs Logs) Gate(IEventClaims claims, TimeProvider time, EventClaimsOptions? options = null)
    {
        var logs = new TestLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return (new EventClaimGate(claims, time, Microsoft.Extensions.Options.Options.Create(options ?? new EventClaimsOptions()), factory.CreateLogger<EventClaimGate>()), logs);
    }

    private sealed class ScriptedClaims(Func<string, CancellationToken, ValueTask<EventClaim?>> claim) : IEventClaims
    {
        private int _calls;

        public Func<string, CancellationToken, ValueTask<EventClaim?>> Claim { get; set; } = claim;

        public Func<EventClaim, CancellationToken, ValueTask> Finish { get; set; } = (_, _) => ValueTask.CompletedTask;

        /// <summary>Each completion or release asked, as "complete KEY" or "release KEY", the failing ones included.</summary>
        public List<string> Finished { get; } = [];

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Claim(key, cancellationToken);
        }

        public ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

        public ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            Finished.Add("complete " + claim.Key);
            return Finish(claim, cancellationToken);
        }

        public ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            Finished.Add("release " + claim.Key);
            return Finish(claim, cancellationToken);
        }

        public ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            Finished.Add("abandon " + claim.Key);
            return Finish(claim, cancellationToken);
        }

        public ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<AbandonedEvent>>([]);
    }

    /// <summary>Claims in memory, each operation on them recorded in order; <see cref="Renewed"/> counts renewals as they end.</summary>
    private sealed class WatchedClaims(InMemoryEventClaims claims) : IEventClaims
    {
        private readonly ConcurrentQueue<string> _operations = new();
        private readonly ConcurrentQueue<EventClaim> _claimed = new();
        private volatile Exception? _renewFailure;

        /// <summary>"claim KEY", "renew KEY", "complete KEY" or "release KEY", each as it was asked.</summary>
        public string[] Operations => [.. _operations];

        public EventClaim[] Claimed => [.. _claimed];

        public SemaphoreSlim Renewed { get; } = new(0);

        /// <summary>Thrown by each renewal while set.</summary>
        public Exception? RenewFailure
        {
            get => _renewFailure;
            set => _renewFailure = value;
        }

        public async ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
        {
            _operations.Enqueue("claim " + key);
            var claim = await claims.TryClaimAsync(key, payload, cancellationToken);
            if (claim is not null)
                _claimed.Enqueue(claim);
            return claim;
        }

        public async ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            _operations.Enqueue("renew " + claim.Key);
            try
            {
                return _renewFailure is { } failure ? throw failure : await claims.RenewAsync(claim, cancellationToken);
            }
            finally
            {
                Renewed.Release();
            }
        }

        public ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            _operations.Enqueue("complete " + claim.Key);
            return claims.CompleteAsync(claim, cancellationToken);
        }

        public ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            _operations.Enqueue("release " + claim.Key);
            return claims.ReleaseAsync(claim, cancellationToken);
        }

        public ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            _operations.Enqueue("abandon " + claim.Key);
            return claims.AbandonAsync(claim, cancellationToken);
        }

        public ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default) =>
            claims.TakeOverAbandonedAsync(keyPrefix, maxAttempts, max, cancellationToken);
    }
}
