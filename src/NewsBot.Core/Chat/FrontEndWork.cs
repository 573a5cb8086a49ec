using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NewsBot.Chat;

/// <summary>
/// The work a chat front end starts without holding up its receiver. Questions wait for one of a bounded number of
/// slots, because answering is the heavy part; other work (slash commands, whose first response is due within
/// seconds) starts at once. The work runs on <see cref="Token"/>, not the receiver's token: what was acknowledged to the
/// platform, which never delivers it again, is still answered after stopping began, for up to the drain time. Then
/// what is left is cancelled (a question still waiting is dropped) and <see cref="DrainAsync"/> says how much in one warning.
/// </summary>
public sealed partial class FrontEndWork : IDisposable
{
    private readonly SemaphoreSlim _questionSlots;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _work;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly TimeSpan _drainTime;
    private readonly string _frontEnd;
    private readonly ILogger _logger;
    private int _dropped;

    /// <param name="frontEnd">What stops, as the warning names it ("Slack").</param>
    /// <param name="stopping">The front end's own token: once cancelled, the work has <paramref name="drainTime"/> left.</param>
    public FrontEndWork(string frontEnd, int maxConcurrentQuestions, TimeSpan drainTime, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _questionSlots = new SemaphoreSlim(maxConcurrentQuestions);
        _work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _drainTime = drainTime;
        _frontEnd = frontEnd;
        _logger = logger;
        // CancelAfter would cancel on a timer thread even without a drain time, after what stopping meant to cut short.
        _onStopping = stopping.Register(() =>
        {
            if (drainTime == TimeSpan.Zero)
                _work.Cancel();
            else
                _work.CancelAfter(drainTime);
        });
    }

    /// <summary>What the work runs on: cancelled once the drain time after stopping is over.</summary>
    public CancellationToken Token => _work.Token;

    /// <summary>Keeps <paramref name="work"/>, started on <see cref="Token"/>, until it ends.</summary>
    public void Track(Task work)
    {
        _inFlight.TryAdd(work, 0);
        _ = work.ContinueWith(Ended, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Counts an acknowledged event still queued when the drain time was over, so never handed over.</summary>
    public void CountDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>
    /// Answers a question once a slot is free. A question still waiting when the drain time is over is dropped, and
    /// <paramref name="dropped"/> (when given) runs instead of <paramref name="answer"/>, so that what was taken for it
    /// (a claim on the event) can be given back. A failure goes to <paramref name="onFailure"/> (the front end logs it
    /// with the question's ids), except the cancellation at the end of the drain time.
    /// </summary>
    public void Answer(Func<CancellationToken, Task> answer, Action<Exception> onFailure, Func<ValueTask>? dropped = null) =>
        Track(AnswerAsync(answer, onFailure, dropped));

    /// <summary>
    /// Completes when everything started so far has ended: at once after stopping when nothing is left, at most the drain
    /// time plus what the cancelled work takes to unwind otherwise. One warning gives the count of what was dropped.
    /// </summary>
    public async Task DrainAsync()
    {
        // Anything tracked while this waits (the last of a queue handed over) is waited for too.
        while (!_inFlight.IsEmpty)
        {
            try
            {
                await Task.WhenAll(_inFlight.Keys);
            }
            catch (OperationCanceledException) when (_work.IsCancellationRequested)
            {
                // Cut short at the end of the drain time, as meant; counted as dropped.
            }
        }

        if (Volatile.Read(ref _dropped) is var dropped and > 0)
            LogDropped(_frontEnd, dropped, _drainTime.TotalSeconds);
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _work.Dispose();
        _questionSlots.Dispose();
    }

    private void Ended(Task work)
    {
        // Still going when the drain time was over (or handed over only after it): cut short, or dropped unstarted.
        if (_work.IsCancellationRequested)
            Interlocked.Increment(ref _dropped);
        _inFlight.TryRemove(work, out _);
    }

    private async Task AnswerAsync(Func<CancellationToken, Task> answer, Action<Exception> onFailure, Func<ValueTask>? dropped)
    {
        var cancellationToken = _work.Token;
        try
        {
            await _questionSlots.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await DropAsync(dropped, onFailure);
            return;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // The slot came free just as the drain time ran out, and SemaphoreSlim may hand it over although the wait
            // was cancelled: the question was still waiting, so it is dropped all the same.
            _questionSlots.Release();
            await DropAsync(dropped, onFailure);
            return;
        }

        try
        {
            await answer(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            onFailure(ex);
        }
        finally
        {
            _questionSlots.Release();
        }
    }

    private static async Task DropAsync(Func<ValueTask>? dropped, Action<Exception> onFailure)
    {
        if (dropped is null)
            return;
        try
        {
            await dropped();
        }
        catch (Exception ex)
        {
            onFailure(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping {FrontEnd}: {Count} acknowledged question(s), command(s) or queued event(s) were dropped unanswered when FrontEnds:StopDrainTime ({Seconds:0.#} s) ran out; the questions among them are left to another process sharing the event claims, or to this one started again")]
    private partial void LogDropped(string frontEnd, int count, double seconds);
}
