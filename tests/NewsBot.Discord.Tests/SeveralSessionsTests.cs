using Microsoft.Extensions.DependencyInjection;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.Tests.Emulator;
using NewsBot.Storage.Postgres;
using NewsBot.Testing.Time;
using NewsBot.Tests.MultiProcess;
using NSubstitute;

namespace NewsBot.Discord.Tests;

/// <summary>
/// Two Discord front ends identified with one token on one shard, as two processes would be (a deploy's overlap, a copy
/// left running): Discord dispatches every event to both sessions. Sharing their event claims in a real store, they
/// answer each question and each slash command once.
/// </summary>
public sealed class SeveralSessionsTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Question = "why did the PMO decline the meeting?";
    private readonly SharedClaimStores _stores = new(postgres);

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_question_both_sessions_receive_is_answered_once(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var discord = await DiscordEmulator.StartAsync();
        await using var first = await StartAsync(discord, claims);
        await using var second = await StartAsync(discord, claims);
        var question = Fixtures.Mention(Question);

        await discord.DispatchAsync("MESSAGE_CREATE", question);
        await discord.WaitUntilAsync(() => discord.Messages.Count >= 1 && Asked(first, second) + Skipped(first, second) >= 2, "the reply, and the other session done with the message");
        await Task.Delay(300);

        var reply = Assert.Single(discord.Messages);
        Assert.Equal((string)question["id"]!, reply.ReferencedMessageId);
        Assert.Contains("must decline your kind invitation", reply.AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(first, second));
        Assert.Equal(1, Skipped(first, second));
        first.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_slash_command_both_sessions_receive_gets_one_callback(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var discord = await DiscordEmulator.StartAsync();
        await using var first = await StartAsync(discord, claims);
        await using var second = await StartAsync(discord, claims);
        var interaction = Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", Question)));

        await discord.DispatchAsync("INTERACTION_CREATE", interaction);
        await discord.WaitUntilAsync(() => !discord.OriginalEdits.IsEmpty && CallbacksSent(discord) + Skipped(first, second) >= 2, "the answer, and the other session done with the command");
        await Task.Delay(300);

        var callback = Assert.Single(discord.Callbacks);
        Assert.Equal((string)interaction["id"]!, callback.InteractionId);
        Assert.Contains("must decline your kind invitation", (string?)Assert.Single(discord.OriginalEdits).Body["content"], StringComparison.Ordinal);
        Assert.Equal(1, CallbacksSent(discord));
        Assert.Equal(1, Asked(first, second));
        Assert.Equal(1, Skipped(first, second));
        Assert.DoesNotContain(first.Logs.Entries.Concat(second.Logs.Entries), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        first.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres", "stopped")]
    [InlineData("sqlite", "stopped")]
    [InlineData("postgres", "froze")]
    [InlineData("sqlite", "froze")]
    public async Task A_question_whose_process_stopped_or_froze_before_replying_is_answered_by_another_process(string store, string how)
    {
        var clock = new JumpingClock();
        var claims = await _stores.OpenAsync(store, clock);
        await using var discord = await DiscordEmulator.StartAsync();
        // A frozen process looks for abandoned questions at start, and never again.
        await using var first = await BotHarness.StartAsync(
            s => s["FrontEnds:Claims:RecoverEvery"] = how == "froze" ? "1.00:00:00" : "00:00:00.100",
            engineSetUp: Hang, time: clock, shared: discord, services: s => s.AddSingleton(_ => claims()));
        var question = Fixtures.Mention(Question);
        await discord.DispatchAsync("MESSAGE_CREATE", question);
        await discord.WaitUntilAsync(() => Asked(first) == 1, "the first process's claim");
        // Discord sent the message before this process connected: only a takeover brings it the question.
        await using var second = await BotHarness.StartAsync(
            s => s["FrontEnds:Claims:RecoverEvery"] = "00:00:00.100", time: clock, shared: discord, services: s => s.AddSingleton(_ => claims()));

        if (how == "stopped")
            await first.Host.StopAsync();
        else
            clock.Jump(new EventClaimsOptions().Lease);
        await discord.WaitUntilAsync(() => discord.Messages.Count == 1, "the other process's reply");

        var reply = Assert.Single(discord.Messages);
        Assert.Equal((string)question["id"]!, reply.ReferencedMessageId);
        Assert.Contains("must decline your kind invitation", reply.AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(second));
        Assert.Contains("whose claimant stopped before replying (claimant 2 of at most 3)", second.Logs.All, StringComparison.Ordinal);
        second.AssertNoProblems();
    }

    [Fact]
    public async Task With_the_claim_store_unreachable_both_sessions_still_answer_and_each_warns_once()
    {
        var nothingListens = postgres.UnreachableConnectionString();
        await using var discord = await DiscordEmulator.StartAsync();
        await using var first = await StartAsync(discord, () => new PostgresEventClaims(nothingListens));
        await using var second = await StartAsync(discord, () => new PostgresEventClaims(nothingListens));
        var question = Fixtures.Mention(Question);
        var interaction = Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", "who declined the meeting?")));

        await discord.DispatchAsync("MESSAGE_CREATE", question);
        await discord.DispatchAsync("INTERACTION_CREATE", interaction);
        // A possible duplicate is better than a lost question: both sessions answer the message (its nonce lets Discord
        // keep one reply), and both answer the command (Discord refuses the second callback, which the bot takes for
        // its own retry) and edit its response.
        await discord.WaitUntilAsync(() => Asked(first, second) == 4 && discord.OriginalEdits.Count == 2, "both sessions answering");
        await Task.Delay(300);

        Assert.Equal((string)question["id"]!, Assert.Single(discord.Messages).ReferencedMessageId);
        Assert.Equal(2, CallbacksSent(discord));
        Assert.Single(discord.Callbacks);
        Assert.Equal(0, Skipped(first, second));
        foreach (var bot in new[] { first, second })
        {
            var warning = Assert.Single(bot.Logs.Entries, e => e.Message.Contains("Event claims unreachable", StringComparison.Ordinal));
            Assert.Contains("Storage:ConnectionString: cannot reach PostgreSQL at 127.0.0.1", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, bot.Logs.All, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _stores.Dispose();

    private static Task<BotHarness> StartAsync(DiscordEmulator discord, Func<IEventClaims> claims) =>
        BotHarness.StartAsync(shared: discord, services: s => s.AddSingleton(_ => claims()));

    private static void Hang(INewsBotEngine engine) =>
        engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            await Task.Delay(Timeout.Infinite, call.Arg<CancellationToken>());
            return (Answer)null!;
        });

    private static int Skipped(params BotHarness[] bots) => bots.Count(b => b.Logs.Contains("already claimed"));

    private static int CallbacksSent(DiscordEmulator discord) => discord.Calls.Count(c => c.Route == "callback");

    private static int Asked(params BotHarness[] bots) =>
        bots.Sum(b => b.Engine.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(INewsBotEngine.AskAsync)));
}
