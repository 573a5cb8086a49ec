using NewsBot.Chat;

namespace NewsBot.Core.Tests.Chat;

public sealed class FrontEndWorkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_more_questions_are_answered_at_once_than_there_are_slots_and_the_waiting_ones_run_as_slots_free()
    {
        using var work = new FrontEndWork(2);
        var running = 0;
        var mostAtOnce = 0;
        var answered = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 5; i++)
        {
            work.Answer(
                async _ =>
                {
                    InterlockedMax(ref mostAtOnce, Interlocked.Increment(ref running));
                    await release.Task;
                    Interlocked.Decrement(ref running);
                    Interlocked.Increment(ref answered);
                },
                ex => Assert.Fail(ex.ToString()),
                CancellationToken.None);
        }

        // A free slot is taken at once, so the first two are running and the other three wait.
        Assert.Equal(2, Volatile.Read(ref running));

        release.SetResult();
        await work.WhenAllAsync().WaitAsync(Patience);
        Assert.Equal(5, answered);
        Assert.Equal(2, mostAtOnce);
    }

    [Fact]
    public async Task A_failed_answer_is_reported_and_frees_its_slot()
    {
        using var work = new FrontEndWork(1);
        var failures = new List<Exception>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        work.Answer(_ => throw new InvalidOperationException("engine broke"), failures.Add, CancellationToken.None);
        work.Answer(_ =>
        {
            second.SetResult();
            return Task.CompletedTask;
        }, failures.Add, CancellationToken.None);

        await second.Task.WaitAsync(Patience);
        await work.WhenAllAsync().WaitAsync(Patience);
        var failure = Assert.Single(failures);
        Assert.Equal("engine broke", failure.Message);
    }

    [Fact]
    public async Task Stopping_drops_the_questions_still_waiting_for_a_slot_and_runs_their_dropped_callback()
    {
        using var work = new FrontEndWork(1);
        using var stopping = new CancellationTokenSource();
        var failures = new List<Exception>();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waitingRan = false;

        var dropped = new List<string>();

        work.Answer(_ => hold.Task, failures.Add, () => Dropped("running"), stopping.Token);
        work.Answer(_ =>
        {
            waitingRan = true;
            return Task.CompletedTask;
        }, failures.Add, () => Dropped("waiting"), stopping.Token);
        await stopping.CancelAsync();
        hold.SetResult();
        await work.WhenAllAsync().WaitAsync(Patience);

        Assert.False(waitingRan);
        Assert.Empty(failures);
        Assert.Equal(["waiting"], dropped);

        ValueTask Dropped(string which)
        {
            lock (dropped)
                dropped.Add(which);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_slot_freed_after_stopping_began_never_starts_a_waiting_question()
    {
        // The race behind a flaky run of the test above: stopping cancels the waiting question's wait, and the running
        // answer's slot comes free before SemaphoreSlim has taken the cancelled waiter off its list. Repeated to hit it.
        for (var round = 0; round < 300; round++)
        {
            using var work = new FrontEndWork(1);
            using var stopping = new CancellationTokenSource();
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waitingRan = false;
            work.Answer(_ => hold.Task, _ => { }, stopping.Token);
            work.Answer(_ =>
            {
                waitingRan = true;
                return Task.CompletedTask;
            }, _ => { }, stopping.Token);

            await stopping.CancelAsync();
            hold.SetResult();
            await work.WhenAllAsync().WaitAsync(Patience);

            Assert.False(waitingRan, $"round {round}");
        }
    }

    [Fact]
    public async Task An_answer_cancelled_by_stopping_is_not_reported_as_a_failure()
    {
        using var work = new FrontEndWork(1);
        using var stopping = new CancellationTokenSource();
        var failures = new List<Exception>();

        work.Answer(ct => Task.Delay(Timeout.InfiniteTimeSpan, ct), failures.Add, stopping.Token);
        await stopping.CancelAsync();
        await work.WhenAllAsync().WaitAsync(Patience);

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_cancellation_that_is_not_the_stop_is_a_failure_like_any_other()
    {
        using var work = new FrontEndWork(1);
        var failures = new List<Exception>();

        work.Answer(_ => throw new TaskCanceledException("the HTTP call timed out"), failures.Add, CancellationToken.None);
        await work.WhenAllAsync().WaitAsync(Patience);

        Assert.IsType<TaskCanceledException>(Assert.Single(failures));
    }

    [Fact]
    public async Task Waiting_for_all_includes_tracked_work_that_started_at_once()
    {
        using var work = new FrontEndWork(1);
        var command = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Track(command.Task);

        var all = work.WhenAllAsync();
        await Task.Yield();
        Assert.False(all.IsCompleted);

        command.SetResult();
        await all.WaitAsync(Patience);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
                return;
        }
    }
}
