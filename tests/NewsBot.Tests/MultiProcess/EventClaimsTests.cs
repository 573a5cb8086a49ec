using Microsoft.Extensions.Time.Testing;
using NewsBot.Chat;
using NewsBot.Testing.Time;

namespace NewsBot.Tests.MultiProcess;

/// <summary>
/// The claims several NewsBot processes share so that an event delivered twice is answered once, on a real store.
/// Each <see cref="Process"/> is a store instance of its own (own connections, own cleanup schedule) on one database,
/// as a second process would have. Run once per store.
/// </summary>
public abstract class EventClaimsTests : IAsyncLifetime
{
    private readonly List<IEventClaims> _processes = [];

    /// <summary>Prepares a fresh, empty store for one test.</summary>
    public abstract Task InitializeAsync();

    /// <summary>A new store instance on this test's store.</summary>
    protected abstract IEventClaims Open(TimeProvider time);

    /// <summary>How many expired claims one cleanup deletes at most.</summary>
    protected abstract int CleanupBatch { get; }

    /// <summary>How many claims the store holds, read past the store class.</summary>
    protected abstract Task<long> CountStoredAsync();

    /// <summary>The settings every store instance in these tests is opened with: the defaults.</summary>
    protected static EventClaimsOptions Options { get; } = new();

    protected IEventClaims Process(TimeProvider? time = null)
    {
        var process = Open(time ?? TimeProvider.System);
        _processes.Add(process);
        return process;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var process in _processes.OfType<IAsyncDisposable>())
            await process.DisposeAsync();
    }

    [Fact]
    public async Task Two_processes_racing_for_the_same_keys_win_each_key_exactly_once()
    {
        var processes = new[] { Process(), Process() };
        var keys = Enumerable.Range(0, 60).Select(i => EventClaimKey.For("test", "C0NEWSDESK", $"1764400000.{i:000000}")).ToArray();
        var wins = await RaceAsync(processes, keys);

        Assert.All(wins, w => Assert.Equal(1, w));
        Assert.Equal(keys.Length, await CountStoredAsync());
        // And the losers keep losing, in either process.
        Assert.Null(await processes[0].TryClaimAsync(keys[0]));
        Assert.Null(await processes[1].TryClaimAsync(keys[^1]));
    }

    [Fact]
    public async Task An_unfinished_claim_is_taken_over_by_another_process_once_its_lease_ran_out_and_not_before()
    {
        var time = new FakeTimeProvider();
        var (crashed, other) = (Process(time), Process(time));
        const string key = "test:claimant-crashed";

        var first = await crashed.TryClaimAsync(key);
        Assert.NotNull(first);
        time.Advance(Options.Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await other.TryClaimAsync(key));
        time.Advance(TimeSpan.FromSeconds(1));
        var takenOver = await other.TryClaimAsync(key);
        Assert.NotNull(takenOver);
        Assert.Null(await crashed.TryClaimAsync(key));

        // The first claimant comes back late: its completion or release touches the claim that took over from it not at all.
        await crashed.CompleteAsync(first);
        await crashed.ReleaseAsync(first);
        Assert.Null(await crashed.TryClaimAsync(key));
        time.Advance(Options.Lease);
        Assert.NotNull(await crashed.TryClaimAsync(key));
    }

    [Fact]
    public async Task A_renewed_claim_holds_for_a_lease_from_its_renewal_so_another_process_cannot_take_it_over_meanwhile()
    {
        var time = new FakeTimeProvider();
        var (slow, other) = (Process(time), Process(time));
        const string key = "test:slow-answer";

        var claim = (await slow.TryClaimAsync(key))!;
        time.Advance(Options.Lease - TimeSpan.FromSeconds(1));
        Assert.True(await slow.RenewAsync(claim));
        time.Advance(TimeSpan.FromSeconds(1)); // the first lease ran out
        Assert.Null(await other.TryClaimAsync(key));
        time.Advance(Options.Lease - TimeSpan.FromSeconds(2));
        Assert.Null(await other.TryClaimAsync(key));
        Assert.True(await slow.RenewAsync(claim));
        time.Advance(Options.Lease); // and the last renewed one
        Assert.NotNull(await other.TryClaimAsync(key));
    }

    [Fact]
    public async Task A_claim_no_longer_its_holders_taken_over_completed_released_or_forgotten_is_not_renewed()
    {
        var time = new FakeTimeProvider();
        var (late, other) = (Process(time), Process(time));

        var overtaken = (await late.TryClaimAsync("test:overtaken"))!;
        var completed = (await late.TryClaimAsync("test:completed"))!;
        var released = (await late.TryClaimAsync("test:released"))!;
        await late.CompleteAsync(completed);
        await late.ReleaseAsync(released);
        time.Advance(Options.Lease);
        var takeover = (await other.TryClaimAsync("test:overtaken"))!;

        Assert.False(await late.RenewAsync(overtaken));
        Assert.False(await late.RenewAsync(completed));
        Assert.False(await late.RenewAsync(released));
        Assert.True(await other.RenewAsync(takeover));
        Assert.Null(await late.TryClaimAsync("test:completed"));
        Assert.NotNull(await other.TryClaimAsync("test:released"));

        // A claimant stalled past the keep time: the claims that followed deleted its claim.
        var stalled = (await late.TryClaimAsync("test:stalled"))!;
        time.Advance(Options.KeepFor + TimeSpan.FromMinutes(10));
        Assert.NotNull(await other.TryClaimAsync("test:after-the-stall"));
        Assert.False(await late.RenewAsync(stalled));
    }

    [Fact]
    public async Task A_completed_claim_holds_for_the_keep_time_from_its_completion_however_long_its_lease_was_ago()
    {
        var time = new FakeTimeProvider();
        var (answered, other) = (Process(time), Process(time));
        const string key = "test:answered";

        var claim = (await answered.TryClaimAsync(key))!;
        time.Advance(TimeSpan.FromSeconds(40));
        await answered.CompleteAsync(claim);
        time.Advance(Options.KeepFor - TimeSpan.FromSeconds(1));
        Assert.Null(await other.TryClaimAsync(key));
        Assert.Null(await answered.TryClaimAsync(key));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await other.TryClaimAsync(key));
    }

    [Fact]
    public async Task A_released_claim_is_free_at_once_for_a_redelivery()
    {
        var time = new FakeTimeProvider();
        var (failed, other) = (Process(time), Process(time));

        await failed.ReleaseAsync((await failed.TryClaimAsync("test:failed"))!);

        Assert.NotNull(await other.TryClaimAsync("test:failed"));
        Assert.Null(await failed.TryClaimAsync("test:failed"));
    }

    [Fact]
    public async Task Two_processes_racing_to_take_over_expired_leases_win_each_key_exactly_once()
    {
        var time = new FakeTimeProvider();
        var crashed = Process(time);
        var keys = Enumerable.Range(0, 60).Select(i => $"test:expired-{i}").ToArray();
        foreach (var key in keys)
            Assert.NotNull(await crashed.TryClaimAsync(key));
        time.Advance(Options.Lease);

        var wins = await RaceAsync([Process(time), Process(time)], keys);

        Assert.All(wins, w => Assert.Equal(1, w));
        Assert.Equal(keys.Length, await CountStoredAsync());
        Assert.Null(await crashed.TryClaimAsync(keys[0]));
    }

    [Fact]
    public async Task An_event_its_claimant_abandoned_or_crashed_on_is_taken_over_once_with_its_payload_and_given_up_after_the_last_attempt()
    {
        var time = new FakeTimeProvider();
        var (crashed, first, second) = (Process(time), Process(time), Process(time));
        Assert.NotNull(await crashed.TryClaimAsync("slack/T1:crashed", "question 1"));
        var abandoned = (await crashed.TryClaimAsync("slack/T1:abandoned", "question 2"))!;
        Assert.NotNull(await crashed.TryClaimAsync("slack/T1:no-payload"));
        await crashed.CompleteAsync((await crashed.TryClaimAsync("slack/T1:answered", "question 3"))!);
        Assert.NotNull(await crashed.TryClaimAsync("slack/T2:other-workspace", "question 4"));

        // Abandoned: free for a takeover at once; the crashed claimant's lease still holds.
        await crashed.AbandonAsync(abandoned);
        var takenAtOnce = Assert.Single(await first.TakeOverAbandonedAsync("slack/T1:", EventClaimGate.MaxAttempts, 10));
        Assert.Equal(("slack/T1:abandoned", "question 2", 2), (takenAtOnce.Claim.Key, takenAtOnce.Payload, takenAtOnce.Attempt));
        Assert.Empty(await second.TakeOverAbandonedAsync("slack/T1:", EventClaimGate.MaxAttempts, 10));
        Assert.Null(await second.TryClaimAsync("slack/T1:abandoned"));
        Assert.False(await crashed.RenewAsync(abandoned));
        Assert.True(await first.RenewAsync(takenAtOnce.Claim));

        // The leases run out (the first taker crashed too): each event with a payload is taken, by one taker only.
        time.Advance(Options.Lease);
        var taken = await second.TakeOverAbandonedAsync("slack/T1:", EventClaimGate.MaxAttempts, 10);
        Assert.Equal(
            [("slack/T1:abandoned", "question 2", 3), ("slack/T1:crashed", "question 1", 2)],
            taken.Select(t => (t.Claim.Key, t.Payload, t.Attempt)).OrderBy(t => t.Key));
        Assert.Empty(await first.TakeOverAbandonedAsync("slack/T1:", EventClaimGate.MaxAttempts, 10));
        Assert.False(await first.RenewAsync(takenAtOnce.Claim));
        await second.CompleteAsync(taken.Single(t => t.Claim.Key == "slack/T1:crashed").Claim);

        // The third claimant of "abandoned" crashed as well: nobody takes it again, and nothing else is left.
        time.Advance(Options.Lease);
        Assert.Empty(await first.TakeOverAbandonedAsync("slack/T1:", EventClaimGate.MaxAttempts, 10));
        Assert.Equal("question 4", Assert.Single(await first.TakeOverAbandonedAsync("slack/T2:", EventClaimGate.MaxAttempts, 10)).Payload);
    }

    [Fact]
    public async Task Abandoning_a_claim_without_a_payload_releases_it_and_a_stale_abandon_changes_nothing()
    {
        var time = new FakeTimeProvider();
        var (late, other) = (Process(time), Process(time));

        await late.AbandonAsync((await late.TryClaimAsync("test:plain"))!);
        Assert.NotNull(await other.TryClaimAsync("test:plain"));

        var overtaken = (await late.TryClaimAsync("test:overtaken", "question"))!;
        time.Advance(Options.Lease);
        var takeover = Assert.Single(await other.TakeOverAbandonedAsync("test:", EventClaimGate.MaxAttempts, 10));
        await late.AbandonAsync(overtaken);
        Assert.Empty(await late.TakeOverAbandonedAsync("test:", EventClaimGate.MaxAttempts, 10));
        Assert.True(await other.RenewAsync(takeover.Claim));
    }

    [Fact]
    public async Task Two_processes_taking_over_abandoned_events_at_once_take_each_exactly_once()
    {
        var time = new FakeTimeProvider();
        var crashed = Process(time);
        var keys = Enumerable.Range(0, 40).Select(i => $"test:abandoned-{i:00}").ToArray();
        foreach (var key in keys)
            Assert.NotNull(await crashed.TryClaimAsync(key, "payload of " + key));
        time.Advance(Options.Lease);

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var takers = new[] { Process(time), Process(time) }.Select(process => Task.Run(async () =>
        {
            await go.Task;
            var taken = new List<AbandonedEvent>();
            while (await process.TakeOverAbandonedAsync("test:", EventClaimGate.MaxAttempts, 7) is { Count: > 0 } batch)
                taken.AddRange(batch);
            return taken;
        })).ToList();
        go.SetResult();
        var taken = (await Task.WhenAll(takers)).SelectMany(t => t).ToList();

        Assert.Equal(keys, taken.Select(t => t.Claim.Key).Order());
        Assert.All(taken, t => Assert.Equal("payload of " + t.Claim.Key, t.Payload));
    }

    [Fact]
    public async Task Expired_claims_are_deleted_a_bounded_batch_at_a_time_by_the_claims_that_follow()
    {
        var clock = new JumpingClock();
        var process = Process(clock);
        var batch = CleanupBatch;
        var expiring = batch + 500;
        for (var i = 0; i < expiring; i++)
        {
            var claim = await process.TryClaimAsync($"test:old-{i}");
            Assert.NotNull(claim);
            if (i % 2 == 0)
                await process.CompleteAsync(claim);
        }

        Assert.Equal(expiring, await CountStoredAsync());

        clock.Jump(Options.KeepFor + TimeSpan.FromMinutes(10));
        Assert.NotNull(await process.TryClaimAsync("test:new-1"));
        Assert.Equal(expiring - batch + 1, await CountStoredAsync());
        // A full batch means more may be left: the next claim deletes again, and removes the rest.
        Assert.NotNull(await process.TryClaimAsync("test:new-2"));
        Assert.Equal(2, await CountStoredAsync());
        // An old key is free again, and fresh claims stay.
        Assert.NotNull(await Process(clock).TryClaimAsync("test:old-0"));
        Assert.Null(await process.TryClaimAsync("test:new-1"));
    }

    /// <summary>Every process tries for every key at once; returns how many won each key.</summary>
    private static async Task<int[]> RaceAsync(IEventClaims[] processes, string[] keys)
    {
        var wins = new int[keys.Length];
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = processes.SelectMany(process => keys.Select((key, i) => Task.Run(async () =>
        {
            await go.Task;
            if (await process.TryClaimAsync(key) is not null)
                Interlocked.Increment(ref wins[i]);
        }))).ToList();

        go.SetResult();
        await Task.WhenAll(racers);
        return wins;
    }
}
