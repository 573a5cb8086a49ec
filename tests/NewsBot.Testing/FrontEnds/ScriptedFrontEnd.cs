using NewsBot.Chat;

namespace NewsBot.Testing.FrontEnds;

/// <summary>
/// A front end whose runs follow a script (run 1 does the first step, run 2 the second…; a step throws to crash or
/// ends to stop), and which serves until stopped once the script is done. It stands for Discord or Slack in the host's
/// front-end runner, whose real front ends are tested against their emulators.
/// </summary>
public sealed class ScriptedFrontEnd(string name, params Func<CancellationToken, Task>[] script) : IChatFrontEnd
{
    private int _runs;

    public string Name => name;

    /// <summary>How many times the host has started it.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Completes when a run past the script begins serving.</summary>
    public TaskCompletionSource Serving { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var run = Interlocked.Increment(ref _runs);
        if (run <= script.Length)
        {
            await script[run - 1](cancellationToken);
            return;
        }

        Serving.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>A script step that crashes at once with <paramref name="exception"/>.</summary>
    public static Func<CancellationToken, Task> Crash(Exception exception) => _ => Task.FromException(exception);
}
