using System.Collections.Concurrent;

namespace NewsBot.Chat;

/// <summary>
/// The work a chat front end starts without holding up its receiver. Questions wait for one of a bounded number of
/// slots, because answering is the heavy part; other work (slash commands, whose first response is due within
/// seconds) starts at once. Stopping waits for all of it through <see cref="WhenAllAsync"/>.
/// </summary>
public sealed class FrontEndWork(int maxConcurrentQuestions) : IDisposable
{
    private readonly SemaphoreSlim _questionSlots = new(maxConcurrentQuestions);
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>Keeps <paramref name="work"/>, already started, until it ends.</summary>
    public void Track(Task work)
    {
        _inFlight.TryAdd(work, 0);
        _ = work.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Answers a question once a slot is free. A question still waiting when <paramref name="cancellationToken"/> is
    /// cancelled is dropped; a failure goes to <paramref name="onFailure"/> (the front end logs it with the
    /// question's ids), except the cancellation of stopping.
    /// </summary>
    public void Answer(Func<CancellationToken, Task> answer, Action<Exception> onFailure, CancellationToken cancellationToken) =>
        Answer(answer, onFailure, dropped: null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="dropped"/> runs instead of <paramref name="answer"/> when the question is dropped, so
    /// that what was taken for it (a claim on the event) can be given back.
    /// </summary>
    public void Answer(Func<CancellationToken, Task> answer, Action<Exception> onFailure, Func<ValueTask>? dropped, CancellationToken cancellationToken) =>
        Track(AnswerAsync(answer, onFailure, dropped, cancellationToken));

    /// <summary>Completes when everything started so far has ended.</summary>
    public Task WhenAllAsync() => Task.WhenAll(_inFlight.Keys);

    public void Dispose() => _questionSlots.Dispose();

    private async Task AnswerAsync(Func<CancellationToken, Task> answer, Action<Exception> onFailure, Func<ValueTask>? dropped, CancellationToken cancellationToken)
    {
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
            // The slot came free just as stopping began, and SemaphoreSlim may hand it over although the wait was
            // cancelled: the question was still waiting, so it is dropped all the same.
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
}
