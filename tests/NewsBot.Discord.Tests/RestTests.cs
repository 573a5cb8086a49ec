using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

public sealed class RestTests
{
    private static readonly string[] Askers = ["53908232506183680", "53908232506183681", "53908232506183682", "53908232506183683", "53908232506183684"];

    private static async Task<List<string>> AskFromDifferentUsersAsync(BotHarness bot, int count)
    {
        var ids = new List<string>();
        foreach (var user in Askers.Take(count))
        {
            var message = Fixtures.GuildMessage($"<@{DiscordEmulator.BotUserId}> question from {user}?", authorId: user);
            ids.Add((string)message["id"]!);
            await bot.Emulator.DispatchAsync("MESSAGE_CREATE", message);
        }

        return ids;
    }

    private static async Task AssertEachAnsweredOnceAsync(BotHarness bot, List<string> ids)
    {
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count >= ids.Count, $"{ids.Count} replies", seconds: 15);
        await Task.Delay(300);
        Assert.Equal(ids.Count, bot.Emulator.Messages.Count);
        foreach (var id in ids)
            Assert.Single(bot.Emulator.Messages, m => m.ReferencedMessageId == id);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_per_route_429_storm_is_waited_out_and_every_reply_is_delivered_exactly_once()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("messages", Fault.RouteRateLimit(0.15), Fault.RouteRateLimit(0.1), Fault.RouteRateLimit(0.2), Fault.RouteRateLimit(0.1));

        var ids = await AskFromDifferentUsersAsync(bot, 3);

        await AssertEachAnsweredOnceAsync(bot, ids);
        Assert.Equal(4, bot.Emulator.Calls.Count(c => c.Route == "messages" && c.Status == 429));
    }

    [Fact]
    public async Task A_global_429_storm_pauses_every_route_and_every_reply_is_delivered_exactly_once()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("messages", Fault.GlobalRateLimit(0.3), Fault.GlobalRateLimit(0.2));

        var ids = await AskFromDifferentUsersAsync(bot, 4);

        await AssertEachAnsweredOnceAsync(bot, ids);
        Assert.Equal(2, bot.Emulator.Calls.Count(c => c.Status == 429));
        Assert.Contains(bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("global: True", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_global_429_does_not_hold_up_interaction_responses_which_the_global_limit_does_not_bind()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("messages", Fault.GlobalRateLimit(4));
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("anyone there?"));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Calls.Any(c => c.Status == 429), "the global 429");
        var limited = bot.Emulator.Calls.First(c => c.Status == 429).At;

        // Discord allows 3 s for the first response: waiting out the global limit would lose the interaction.
        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", "why did the PMO decline the meeting?"))));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the reply after the global limit", seconds: 15);

        Assert.All(bot.Emulator.Calls.Where(c => c.Route is "callback" or "original"), c => Assert.True(Stopwatch.GetElapsedTime(limited, c.At) < TimeSpan.FromSeconds(2.5)));
        Assert.True(Stopwatch.GetElapsedTime(limited, bot.Emulator.Calls.Last(c => c.Route == "messages").At) >= TimeSpan.FromSeconds(4));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_5xx_burst_including_a_lost_response_is_retried_without_duplicates()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("messages", Fault.ServerError(502), Fault.ServerError(503, afterCommit: true), Fault.ServerError(500), Fault.ServerError(504, afterCommit: true));

        var ids = await AskFromDifferentUsersAsync(bot, 3);

        await AssertEachAnsweredOnceAsync(bot, ids);
        Assert.Equal(4, bot.Emulator.Calls.Count(c => c.Route == "messages" && c.Status >= 500));
    }

    [Fact]
    public async Task Bucket_headers_are_respected_so_the_bot_never_provokes_a_429()
    {
        await using var bot = await BotHarness.StartAsync(setUp: e =>
        {
            e.MessageBucketLimit = 2;
            e.MessageBucketWindow = TimeSpan.FromMilliseconds(400);
        });

        var ids = await AskFromDifferentUsersAsync(bot, 5);

        await AssertEachAnsweredOnceAsync(bot, ids);
        Assert.DoesNotContain(bot.Emulator.Calls, c => c.Status == 429);
    }

    [Fact]
    public async Task Retries_on_server_errors_are_bounded()
    {
        await using var bot = await BotHarness.StartAsync(settings => settings["Discord:Rest:MaxRetries"] = "2");
        bot.Emulator.Inject("messages", Enumerable.Repeat(Fault.ServerError(503), 10).ToArray());

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("anyone there?"));
        await bot.Emulator.WaitUntilAsync(() => bot.Logs.Entries.Any(e => e.Message.Contains("Could not deliver", StringComparison.Ordinal)), "the give-up log line");
        await Task.Delay(200);

        Assert.Equal(3, bot.Emulator.Calls.Count(c => c.Route == "messages"));
        Assert.Empty(bot.Emulator.Messages);
    }
}
