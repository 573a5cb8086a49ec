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
        var wins = new int[keys.Length];
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = processes.SelectMany(process => keys.Select((key, i) => Task.Run(async () =>
        {
            await go.Task;
            if (await process.TryClaimAsync(key))
                Interlocked.Increment(ref wins[i]);
        }))).ToList();

        go.SetResult();
        await Task.WhenAll(racers);

        Assert.All(wins, w => Assert.Equal(1, w));
        Assert.Equal(keys.Length, await CountStoredAsync());
        // And the losers keep losing, in either process.
        Assert.False(await processes[0].TryClaimAsync(keys[0]));
        Assert.False(await processes[1].TryClaimAsync(keys[^1]));
    }

    [Fact]
    public async Task A_claim_holds_for_the_keep_time_then_may_be_taken_anew_by_another_process()
    {
        var clock = new JumpingClock();
        var (first, second) = (Process(clock), Process(clock));
        const string key = "test:claim-that-expires";

        Assert.True(await first.TryClaimAsync(key));
        Assert.False(await first.TryClaimAsync(key));
        clock.Jump(IEventClaims.DefaultKeepFor - TimeSpan.FromSeconds(1));
        Assert.False(await second.TryClaimAsync(key));
        clock.Jump(TimeSpan.FromSeconds(1));
        Assert.True(await second.TryClaimAsync(key));
        Assert.False(await first.TryClaimAsync(key));
    }

    [Fact]
    public async Task Expired_claims_are_deleted_a_bounded_batch_at_a_time_by_the_claims_that_follow()
    {
        var clock = new JumpingClock();
        var process = Process(clock);
        var batch = CleanupBatch;
        var expiring = batch + 500;
        for (var i = 0; i < expiring; i++)
            Assert.True(await process.TryClaimAsync($"test:old-{i}"));
        Assert.Equal(expiring, await CountStoredAsync());

        clock.Jump(IEventClaims.DefaultKeepFor + TimeSpan.FromMinutes(10));
        Assert.True(await process.TryClaimAsync("test:new-1"));
        Assert.Equal(expiring - batch + 1, await CountStoredAsync());
        // A full batch means more may be left: the next claim deletes again, and removes the rest.
        Assert.True(await process.TryClaimAsync("test:new-2"));
        Assert.Equal(2, await CountStoredAsync());
        // An old key is free again, and fresh claims stay.
        Assert.True(await Process(clock).TryClaimAsync("test:old-0"));
        Assert.False(await process.TryClaimAsync("test:new-1"));
    }
}
