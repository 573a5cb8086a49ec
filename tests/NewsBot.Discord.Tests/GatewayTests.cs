using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

public sealed class GatewayTests
{
    [Fact]
    public async Task A_dropped_connection_is_resumed_and_replayed_events_are_answered_exactly_once()
    {
        await using var bot = await BotHarness.StartAsync(setUp: e => e.ReplayOverlap = 2);
        var first = Fixtures.Mention("first question?");
        var second = Fixtures.Mention("second question?");
        var whileAway = Fixtures.Mention("asked while the bot was away?");

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", first);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the first reply");
        var dropped = bot.Emulator.Current!;
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", second);
        dropped.Abort();
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", whileAway, deliver: false);

        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count >= 3, "replies to all three");
        await Task.Delay(300);

        var resumed = bot.Emulator.Current!;
        Assert.Equal("/resume", resumed.Path);
        var resume = Assert.Single(resumed.Sent(6));
        Assert.Equal(bot.Emulator.SessionId, (string?)resume["d"]!["session_id"]);
        Assert.Empty(resumed.Sent(2));
        Assert.Equal(1, bot.Emulator.Identifies);
        foreach (var question in new[] { first, second, whileAway })
            Assert.Single(bot.Emulator.Messages, m => m.ReferencedMessageId == (string)question["id"]!);
        Assert.Equal(3, bot.Emulator.Messages.Count);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Op7_reconnects_to_the_resume_url_and_resumes()
    {
        await using var bot = await BotHarness.StartAsync();
        var old = bot.Emulator.Current!;

        await old.SendAsync("""{"op":7,"d":null}""");
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Current != old && bot.Emulator.Current!.Ready, "a resumed connection");

        Assert.Equal("/resume", bot.Emulator.Current!.Path);
        Assert.Single(bot.Emulator.Current!.Sent(6));
        Assert.Equal(1, bot.Emulator.Identifies);
        await old.Ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotEqual(1000, old.ClientCloseCode);
        Assert.NotEqual(1001, old.ClientCloseCode);

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("still there?"));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "an answer after resuming");
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData(true, "/resume", 1)]
    [InlineData(false, "/gateway", 2)]
    public async Task Op9_resumes_when_resumable_and_identifies_afresh_when_not(bool resumable, string path, int identifies)
    {
        await using var bot = await BotHarness.StartAsync();
        var old = bot.Emulator.Current!;
        var oldSession = bot.Emulator.SessionId;

        await old.SendAsync($$"""{"op":9,"d":{{(resumable ? "true" : "false")}}}""");
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Current != old && bot.Emulator.Current!.Ready, "a new ready connection");

        Assert.Equal(path, bot.Emulator.Current!.Path);
        Assert.Equal(identifies, bot.Emulator.Identifies);
        Assert.Equal(resumable, bot.Emulator.SessionId == oldSession);
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("answered on the new connection?"));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "an answer on the new connection");
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_missing_heartbeat_ack_drops_the_zombie_connection_without_ending_the_session_and_resumes()
    {
        await using var bot = await BotHarness.StartAsync(setUp: e => e.HeartbeatIntervalMs = 250);
        var zombie = bot.Emulator.Current!;
        await bot.Emulator.WaitUntilAsync(() => zombie.Sent(1).Any(), "a first heartbeat");

        bot.Emulator.AckHeartbeats = false;
        await zombie.Ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        bot.Emulator.AckHeartbeats = true;
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Current != zombie && bot.Emulator.Current!.Ready, "a resumed connection");

        Assert.NotEqual(1000, zombie.ClientCloseCode);
        Assert.NotEqual(1001, zombie.ClientCloseCode);
        Assert.Equal("/resume", bot.Emulator.Current!.Path);
        Assert.Single(bot.Emulator.Current!.Sent(6));
        Assert.Contains(bot.Logs.Entries, e => e.Message.Contains("heartbeat ACK", StringComparison.Ordinal));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_heartbeat_request_from_discord_is_answered_at_once_with_the_last_sequence()
    {
        await using var bot = await BotHarness.StartAsync();
        var connection = bot.Emulator.Current!;
        Assert.Empty(connection.Sent(1));

        await connection.SendAsync("""{"op":1,"d":null}""");
        await bot.Emulator.WaitUntilAsync(() => connection.Sent(1).Any(), "the heartbeat", seconds: 2);

        Assert.Equal(1, (long?)connection.Sent(1).Single()["d"]);
    }

    [Theory]
    [InlineData(4004, "Discord:Token")]
    [InlineData(4010, "Discord:ShardId")]
    [InlineData(4011, "Discord:ShardCount")]
    [InlineData(4012, "/api/v10")]
    [InlineData(4013, "intent")]
    [InlineData(4014, "Message Content intent")]
    public async Task A_fatal_close_code_stops_the_front_end_with_one_line_telling_the_owner_what_to_fix(int code, string advice)
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Emulator.Current!.CloseAsync(code);
        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(300);

        Assert.Single(bot.Emulator.Connections);
        var line = Assert.Single(bot.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Message, StringComparison.Ordinal);
        Assert.Contains(advice, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DiscordEmulator.Token, bot.Logs.All, StringComparison.Ordinal);
        Assert.Contains($"close code {code}", line.Message, StringComparison.Ordinal);
        // Reconnecting cannot help, so the host stops (and the process exits non-zero) for a supervisor to notice.
        Assert.True(bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task A_token_rejected_while_running_stops_the_front_end_and_the_host_with_one_line_naming_the_HTTP_status()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("messages", new Fault(401));

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("Why did the PMO decline the meeting?"));
        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(10));

        var line = Assert.Single(bot.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("HTTP 401 Unauthorized to POST /channels/{channel_id}/messages", line.Message, StringComparison.Ordinal);
        Assert.Contains("Discord:Token", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("close code", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DiscordEmulator.Token, bot.Logs.All, StringComparison.Ordinal);
        Assert.True(bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task The_disallowed_intent_is_reported_when_ask_channels_need_message_content_that_is_not_enabled()
    {
        await using var bot = await BotHarness.StartAsync(
            settings => settings["Discord:AskChannelIds:0"] = "645027906669519999",
            setUp: e => e.AllowMessageContent = false,
            waitForReady: false);

        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(5));

        var line = Assert.Single(bot.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("4014", line.Message, StringComparison.Ordinal);
        Assert.Contains("Privileged Gateway Intents", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4000, "/resume", 1)]
    [InlineData(4008, "/resume", 1)]
    [InlineData(4009, "/gateway", 2)]
    [InlineData(4007, "/gateway", 2)]
    public async Task Resumable_close_codes_resume_and_invalid_session_codes_identify(int code, string path, int identifies)
    {
        await using var bot = await BotHarness.StartAsync();
        var old = bot.Emulator.Current!;

        await old.CloseAsync(code);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Current != old && bot.Emulator.Current!.Ready, "a new ready connection");

        Assert.Equal(path, bot.Emulator.Current!.Path);
        Assert.Equal(identifies, bot.Emulator.Identifies);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Identify_waits_for_the_session_start_budget_to_reset()
    {
        await using var bot = await BotHarness.StartAsync(setUp: e =>
        {
            e.SessionStartRemaining = 0;
            e.SessionStartResetAfterMs = 400;
        });

        var gatewayCall = bot.Emulator.Calls.First(c => c.Route == "gateway-bot");
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(gatewayCall.At, bot.Emulator.Current!.IdentifiedAt);
        Assert.True(waited >= TimeSpan.FromMilliseconds(400), $"identified after {waited.TotalMilliseconds} ms");
        Assert.Contains(bot.Logs.Entries, e => e.Message.Contains("session-start budget", StringComparison.Ordinal));
        bot.AssertNoProblems();
    }
    [Fact]
    public async Task Stopping_closes_the_gateway_with_1000_and_reads_on_until_Discord_answers_the_close()
    {
        await using var bot = await BotHarness.StartAsync();
        var connection = bot.Emulator.Current!;

        await bot.Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await connection.Ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1000, connection.ClientCloseCode);
        Assert.False(connection.Dropped);
        Assert.Single(bot.Emulator.Connections);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Questions_received_just_before_stopping_are_still_answered_within_the_drain_time()
    {
        var held = new HeldAnswers();
        await using var bot = await BotHarness.StartAsync(
            settings =>
            {
                settings["Discord:MaxConcurrentQuestions"] = "1";
                settings["FrontEnds:StopDrainTime"] = "00:01:00";
            },
            engineSetUp: held.SetUp);
        var connection = bot.Emulator.Current!;
        var running = Fixtures.Mention("why did the PMO decline the meeting?");
        var waiting = Fixtures.Mention("who declined the invitation?");
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", running);
        await bot.Emulator.WaitUntilAsync(() => held.Asked == 1, "the first question at the engine");
        // Sent just before the stop: Discord answers the bot's close only after it, so the bot still reads it.
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", waiting);

        var stopping = bot.Host.StopAsync();
        await connection.Ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1000, connection.ClientCloseCode);
        Assert.False(stopping.IsCompleted);
        held.Release();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var question in new[] { running, waiting })
            Assert.Single(bot.Emulator.Messages, m => m.ReferencedMessageId == (string)question["id"]!);
        Assert.DoesNotContain(bot.Logs.Entries, e => e.Message.Contains("dropped unanswered", StringComparison.Ordinal));
        bot.AssertNoProblems();
    }
}
