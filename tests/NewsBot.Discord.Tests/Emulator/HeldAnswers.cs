using NewsBot.Answering;
using NewsBot.Chat;
using NSubstitute;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>Seed answers that wait until <see cref="Release"/>, for a test that stops the bot while it answers.</summary>
public sealed class HeldAnswers
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _asked;

    /// <summary>Questions that reached the engine.</summary>
    public int Asked => Volatile.Read(ref _asked);

    public void Release() => _release.TrySetResult();

    /// <summary>For <see cref="BotHarness.StartAsync"/>'s engine set-up.</summary>
    public void SetUp(INewsBotEngine engine) =>
        engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            Interlocked.Increment(ref _asked);
            await _release.Task.WaitAsync(call.Arg<CancellationToken>());
            return SeedArticle.ScheduleAnswer(call.Arg<Question>().Text);
        });
}
