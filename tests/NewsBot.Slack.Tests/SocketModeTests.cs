using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Ingestion;
using NewsBot.Slack.Tests.Emulator;
using NewsBot.Summaries;
using NewsBot.Testing.Time;
using NSubstitute;

namespace NewsBot.Slack.Tests;

[Collection(SeedEngineCollection.Name)]
public sealed class SocketModeTests(SeedEngine seed)
{
    private const string ScheduleWords = "regrettably, due to the heavy demands of his schedule, he must decline your kind invitation.";

    [Fact]
    public async Task A_mention_is_answered_once_in_its_thread_with_the_articles_exact_words_about_the_PMOs_schedule()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var mention = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts);

        var envelope = await bot.Slack.SendEventAsync(mention);
        await bot.Slack.WaitUntilAsync(() => bot.Answers(ts).Count > 0, "the answer");
        await bot.SettleAsync(ts);

        var reply = Assert.Single(bot.Answers(ts));
        Assert.Equal(SlackEmulator.ChannelId, reply.Channel);
        Assert.Contains(ScheduleWords, reply.AllText, StringComparison.Ordinal);
        Assert.Contains(SeedArticleQuote(reply), SeedEngine.ArticleText, StringComparison.Ordinal);
        Assert.Equal(false, (bool?)reply.Body["unfurl_links"]);
        Assert.Equal(false, (bool?)reply.Body["unfurl_media"]);
        Assert.Contains(reply.Body["blocks"]!.AsArray(), b => (string?)b!["type"] == "context");
        Assert.Empty(reply.Pings);
        Assert.True(bot.Slack.AckDelays[envelope] < TimeSpan.FromSeconds(3));
        Assert.Equal("why did the PMO decline the meeting?", bot.Engine.Questions.First().Text);
        Assert.Equal(2, bot.Engine.Asks);
        bot.AssertNoProblems();
    }

    /// <summary>The first quote block's verbatim text (after its "[n] " marker).</summary>
    private static string SeedArticleQuote(PostedMessage reply) =>
        (string)reply.Body["blocks"]!.AsArray().First(b => (string?)b!["type"] == "rich_text")!["elements"]![0]!["elements"]![1]!["text"]!;

    [Fact]
    public async Task Broadcasts_and_user_mentions_in_a_question_never_reach_the_reply_raw()
    {
        // An engine that repeats the question puts the injected mentions into the answer text.
        var echo = Substitute.For<INewsBotEngine>();
        echo.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
            .Returns(call => new Answer(call.Arg<Question>().Text, false, $"The article doesn't say \"{call.Arg<Question>().Text}\".", []));
        await using var bot = await BotHarness.StartAsync(echo);
        const string injected = "<!channel> <!here> <!everyone> <!subteam^S0EDITORS> hey <@U0OTHER01|pat> & friends, who won?";

        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, injected, out var ts));
        var command = Payloads.SlashCommand(bot.Slack, "/ask", injected);
        await bot.Slack.SendEnvelopeAsync("slash_commands", command);
        await bot.Slack.WaitUntilAsync(() => bot.Answers(ts).Count == 1 && bot.Slack.Responses.Count == 1, "both answers");

        foreach (var text in new[] { bot.Answers(ts)[0].AllText, bot.Slack.Responses[0].AllText })
        {
            Assert.Contains("&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S0EDITORS&gt; hey &lt;@U0OTHER01|pat&gt; &amp; friends", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<!", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<@", text, StringComparison.Ordinal);
        }

        Assert.Empty(bot.Answers(ts)[0].Pings);
        Assert.Empty(bot.Slack.Responses[0].Pings);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_redelivered_event_and_a_mention_also_delivered_as_an_ask_channel_message_are_answered_once_and_a_DM_is_answered()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, s => s["Slack:AskChannelIds:0"] = SlackEmulator.ChannelId, slack => slack.BotScopes.Add("channels:history"));

        var mention = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts);
        await bot.Slack.SendEventAsync(mention);
        var retry = await bot.Slack.SendEventAsync(mention, retryAttempt: 1);

        // One message in an ask channel that mentions the bot arrives as app_mention and as message (same ts, new event ids).
        var ts2 = bot.Slack.NextTs();
        var text = $"<@{SlackEmulator.BotUserId}> what did the Prime Minister's Office say?";
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.AppMention(ts2, text)));
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.Message(ts2, text, SlackEmulator.ChannelId, "channel")));

        var dm = Payloads.DirectMessage(bot.Slack, "who declined the meeting?", out var dmTs);
        await bot.Slack.SendEventAsync(dm);
        await bot.Slack.WaitForAckAsync(retry);
        await bot.SettleAsync(ts);

        Assert.Single(bot.Answers(ts));
        Assert.Single(bot.Answers(ts2));
        var dmReply = Assert.Single(bot.Answers(dmTs));
        Assert.Equal(SlackEmulator.DmChannelId, dmReply.Channel);
        Assert.Equal(4, bot.Engine.Asks);
        Assert.True(bot.Logs.Contains("already claimed"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Of_a_mention_in_an_ask_channel_only_the_app_mention_copy_is_answered_so_two_processes_each_given_one_copy_answer_once()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, s => s["Slack:AskChannelIds:0"] = SlackEmulator.ChannelId, slack => slack.BotScopes.Add("channels:history"));

        // This process gets the message copies only: their app_mention copies went to another process.
        var mentioned = bot.Slack.NextTs();
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.Message(mentioned, $"<@{SlackEmulator.BotUserId}> why did the PMO decline the meeting?", SlackEmulator.ChannelId, "channel")));
        var named = bot.Slack.NextTs();
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.Message(named, $"<@{SlackEmulator.BotUserId}|newsbot> who declined the meeting?", SlackEmulator.ChannelId, "channel")));
        // A plain question in the ask channel has no app_mention copy and is answered here.
        var plain = bot.Slack.NextTs();
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.Message(plain, "what did the Prime Minister's Office say?", SlackEmulator.ChannelId, "channel")));
        // And the app_mention copy of another message is answered by whichever process gets it.
        var ts = bot.Slack.NextTs();
        await bot.Slack.SendEventAsync(Payloads.Callback(Payloads.AppMention(ts, $"<@{SlackEmulator.BotUserId}> why did the PMO decline the meeting?")));
        await bot.SettleAsync(plain, ts);

        Assert.Empty(bot.Answers(mentioned));
        Assert.Empty(bot.Answers(named));
        Assert.Single(bot.Answers(plain));
        Assert.Single(bot.Answers(ts));
        Assert.Equal(3, bot.Engine.Asks); // with SettleAsync's sentinel question
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Bots_the_bot_itself_edits_subtypes_and_chatter_outside_ask_channels_are_ignored()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var mentionText = $"<@{SlackEmulator.BotUserId}> why did the PMO decline the meeting?";

        var own = Payloads.AppMention(bot.Slack.NextTs(), mentionText, user: SlackEmulator.BotUserId);
        var otherBot = Payloads.AppMention(bot.Slack.NextTs(), mentionText);
        otherBot["bot_id"] = "B0OTHERBOT";
        var edited = Payloads.Message(bot.Slack.NextTs(), "why did the PMO decline?", SlackEmulator.DmChannelId, "im");
        edited["subtype"] = "message_changed";
        var joined = Payloads.Message(bot.Slack.NextTs(), "<@U0READER01> has joined the channel", SlackEmulator.DmChannelId, "im");
        joined["subtype"] = "channel_join";
        var chatter = Payloads.Message(bot.Slack.NextTs(), "lunch anyone?", SlackEmulator.ChannelId, "channel");
        foreach (var ev in new[] { own, otherBot, edited, joined, chatter })
            await bot.Slack.SendEventAsync(Payloads.Callback(ev));
        await bot.SettleAsync();

        Assert.Equal(1, bot.Engine.Asks);
        Assert.Single(bot.Slack.Posted);
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    [InlineData("link_disabled")]
    [InlineData("dropped")]
    public async Task After_a_disconnect_or_a_dropped_socket_the_bot_reconnects_and_answers_the_next_question_once(string how)
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var first = bot.Slack.Current!;

        if (how == "dropped")
            first.Abort();
        else
            await bot.Slack.SendDisconnectAsync(how);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Connections.Count == 2 && bot.Slack.Current is { } c && c != first, "a new connection");
        if (how != "dropped")
            await first.CloseAsync(1000); // Slack closes the connection it refreshes once the new one is open
        await first.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts));
        await bot.Slack.WaitUntilAsync(() => bot.Answers(ts).Count > 0, "the answer after reconnecting");
        await bot.SettleAsync(ts);

        Assert.Single(bot.Answers(ts));
        Assert.Contains(ScheduleWords, bot.Answers(ts)[0].AllText, StringComparison.Ordinal);
        Assert.Equal(2, bot.Engine.Asks);
        Assert.NotEqual(first.Ticket, bot.Slack.Current!.Ticket);
        Assert.Equal(2, bot.Slack.Calls.Count(c => c.Method == "apps.connections.open"));
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("refresh_requested")]
    public async Task After_a_disconnect_message_the_old_connection_is_read_until_Slack_closes_it_so_no_event_waits_for_a_retry(string reason)
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var old = bot.Slack.Current!;

        await bot.Slack.SendDisconnectAsync(reason);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Connections.Count == 2 && bot.Logs.Entries.Count(e => e.Message.StartsWith("Connected to Slack", StringComparison.Ordinal)) == 2, "the new connection's hello");
        var late = await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts), on: old);
        await bot.Slack.WaitForAckAsync(late);
        await old.CloseAsync(1000);
        await old.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await bot.SettleAsync(ts);

        Assert.Single(bot.Answers(ts));
        Assert.Contains(ScheduleWords, bot.Answers(ts)[0].AllText, StringComparison.Ordinal);
        Assert.False(old.Dropped);
        Assert.False(bot.Logs.Contains("Slack closed the Socket Mode connection"));
        Assert.Equal(2, bot.Slack.Calls.Count(c => c.Method == "apps.connections.open"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_half_open_connection_that_answers_no_pings_is_dropped_and_the_bot_reconnects_and_answers()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, settings =>
        {
            settings["Slack:SocketMode:PingInterval"] = "00:00:00.300";
            settings["Slack:SocketMode:PongTimeout"] = "00:00:01";
        });
        var first = bot.Slack.Current!;
        first.HalfOpen = true;

        // Acknowledged on the connection that then goes silent: answered all the same, through the Web API.
        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var before));
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Connections.Count == 2 && bot.Slack.Current is { } c && c != first, "a new connection after the pongs stopped");
        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var after));
        await bot.SettleAsync(before, after);

        Assert.Single(bot.Answers(before));
        Assert.Single(bot.Answers(after));
        Assert.True(bot.Logs.Contains("Slack Socket Mode connection lost"));
        Assert.Equal(2, bot.Slack.Calls.Count(c => c.Method == "apps.connections.open"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_429_on_chat_postMessage_is_waited_out_and_the_answer_delivered_once()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, setUp: slack => slack.Inject("chat.postMessage", Fault.RateLimited(1)));

        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts));
        await bot.Slack.WaitUntilAsync(() => bot.Answers(ts).Count > 0, "the answer after the 429");
        await bot.SettleAsync(ts);

        Assert.Single(bot.Answers(ts));
        var posts = bot.Slack.Calls.Where(c => c.Method == "chat.postMessage").ToList();
        Assert.Equal([429, 200, 200], posts.Select(c => c.Status));
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(posts[0].At, posts[1].At) >= TimeSpan.FromSeconds(1));
        Assert.True(bot.Logs.Contains("chat.postMessage answered 429"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_5xx_is_retried_a_bounded_number_of_times_and_ok_false_is_logged_with_method_and_error()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, setUp: slack => slack.Inject("chat.postMessage", Fault.ServerError(503), Fault.NotOk("channel_not_found")));

        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts));
        await bot.Slack.WaitUntilAsync(() => bot.Logs.Contains("returned ok:false"), "the ok:false answer to the retry");
        await bot.SettleAsync();

        // 503, then ok:false (the reply is given up, logged), and the sentinel's answer.
        Assert.Empty(bot.Answers(ts));
        Assert.Equal([200, 200, 503], bot.Slack.Calls.Where(c => c.Method == "chat.postMessage").Select(c => c.Status).Order());
        Assert.True(bot.Logs.Contains("Slack chat.postMessage returned ok:false, error channel_not_found"));
        Assert.True(bot.Logs.Contains("Slack chat.postMessage failed (503); retry 1"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Over_the_per_user_limit_one_short_notice_is_sent_then_nothing()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, s =>
        {
            s["Slack:QuestionLimits:UserBurst"] = "2";
            s["Slack:QuestionLimits:UserPerMinute"] = "0.01";
        });

        var threads = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts));
            threads.Add(ts);
        }

        // The notice is posted alongside the answers, so it may land after the sentinel's: wait for it by thread.
        await bot.SettleAsync(threads[2]);

        Assert.Equal(3, bot.Engine.Asks);
        Assert.Contains("You're asking faster than I can answer", Assert.Single(bot.Answers(threads[2])).Text, StringComparison.Ordinal);
        Assert.Empty(bot.Answers(threads[3]));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Slash_ask_and_summary_are_acknowledged_within_3_s_and_completed_through_response_url()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var ask = Payloads.SlashCommand(bot.Slack, "/ask", "why did the PMO decline the meeting?");
        var summary = Payloads.SlashCommand(bot.Slack, "/summary", "short Netanyahu meeting");
        var sources = Payloads.SlashCommand(bot.Slack, "/sources", "");

        var envelopes = new List<string>();
        foreach (var command in new[] { ask, summary, sources })
            envelopes.Add(await bot.Slack.SendEnvelopeAsync("slash_commands", command));
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 3, "three results");

        Assert.All(envelopes, e => Assert.True(bot.Slack.AckDelays[e] < TimeSpan.FromSeconds(3)));
        var answer = Assert.Single(bot.Slack.Responses, r => r.Id == Payloads.ResponseId(ask));
        Assert.Equal("in_channel", answer.ResponseType);
        Assert.Contains(ScheduleWords, answer.AllText, StringComparison.Ordinal);
        var summarized = Assert.Single(bot.Slack.Responses, r => r.Id == Payloads.ResponseId(summary));
        Assert.Equal("in_channel", summarized.ResponseType);
        Assert.Contains("Netanyahu", summarized.AllText, StringComparison.Ordinal);
        Assert.Equal(1, bot.Engine.Summaries);
        // The summary is a turn of the same conversation as the question, so "who wrote it?" after it means that article.
        var summarised = Assert.Single(bot.Engine.SummaryRequests);
        Assert.Equal(Assert.Single(bot.Engine.Questions).ConversationId, summarised.ConversationId);
        // Headline words name the article as its id does.
        Assert.Equal((SeedEngine.SourceId, SummaryLength.Short), (summarised.SourceId, summarised.Length));
        Assert.Contains(SeedEngine.SourceId, Assert.Single(bot.Slack.Responses, r => r.Id == Payloads.ResponseId(sources)).AllText, StringComparison.Ordinal);
        Assert.Empty(bot.Slack.Posted);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Command_errors_are_ephemeral()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        var empty = Payloads.SlashCommand(bot.Slack, "/ask", "   ");
        var unknownSource = Payloads.SlashCommand(bot.Slack, "/summary", "long no_such_article");
        var tooLong = Payloads.SlashCommand(bot.Slack, "/ask", new string('x', 501));

        foreach (var command in new[] { empty, unknownSource, tooLong })
            await bot.Slack.SendEnvelopeAsync("slash_commands", command);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 3, "three errors");

        Assert.All(bot.Slack.Responses, r => Assert.Equal("ephemeral", r.ResponseType));
        Assert.Contains("no_such_article", bot.Slack.Responses.Single(r => r.Id == Payloads.ResponseId(unknownSource)).AllText, StringComparison.Ordinal);
        Assert.Contains("limit is 500", bot.Slack.Responses.Single(r => r.Id == Payloads.ResponseId(tooLong)).AllText, StringComparison.Ordinal);
        Assert.Equal(0, bot.Engine.Asks);
        Assert.Equal(0, bot.Engine.Summaries);
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData(30, 31, "it is older than its 30 minutes")]
    [InlineData(20, 25, "http_404")]
    public async Task A_reload_that_outlasts_its_response_url_reports_privately_with_the_bot_token(int lifetimeMinutes, int reloadMinutes, string reason)
    {
        var clock = new JumpingClock();
        var reload = new TaskCompletionSource<ReloadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = Substitute.For<INewsBotEngine>();
        engine.ReloadAsync(Arg.Any<CancellationToken>()).Returns(reload.Task);
        // 20 minutes: Slack's 30 started before NewsBot received the command, so the URL is refused before NewsBot expects.
        await using var bot = await BotHarness.StartAsync(
            engine, setUp: slack => (slack.Clock, slack.ResponseUrlLifetime) = (clock, TimeSpan.FromMinutes(lifetimeMinutes)), time: clock);
        var command = Payloads.SlashCommand(bot.Slack, "/reload", "", user: SlackEmulator.AdminUserId);

        await bot.Slack.SendEnvelopeAsync("slash_commands", command);
        await bot.Slack.WaitUntilAsync(() => bot.Engine.Reloads == 1, "the reload");
        clock.Jump(TimeSpan.FromMinutes(reloadMinutes));
        reload.SetResult(new ReloadReport(10_000, 0, 0, 1_000, 1_010_115, 90_000, [], TimeSpan.FromMinutes(reloadMinutes)));
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Ephemeral.Count == 1, "the report");

        var report = bot.Slack.Ephemeral.Single();
        Assert.Equal((SlackEmulator.ChannelId, SlackEmulator.AdminUserId), (report.Channel, (string?)report.Body["user"]));
        Assert.Contains("10000 added", report.AllText, StringComparison.Ordinal);
        Assert.Empty(bot.Slack.Responses);
        Assert.Empty(bot.Slack.Posted);
        Assert.Single(bot.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("The response_url of /reload cannot be used", StringComparison.Ordinal) && e.Message.Contains(reason, StringComparison.Ordinal));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Reload_is_refused_for_a_plain_user_and_done_for_a_workspace_admin_and_a_listed_admin()
    {
        const string listedAdmin = "U0LISTED01";
        await using var bot = await BotHarness.StartAsync(seed.Engine, s => s["Slack:AdminUserIds:0"] = listedAdmin);
        var plain = Payloads.SlashCommand(bot.Slack, "/reload", "");

        await bot.Slack.SendEnvelopeAsync("slash_commands", plain);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 1, "the refusal");
        var refusal = bot.Slack.Responses.Single();
        Assert.Equal("ephemeral", refusal.ResponseType);
        Assert.Contains("Only workspace admins", refusal.AllText, StringComparison.Ordinal);
        Assert.Equal(0, bot.Engine.Reloads);
        Assert.Contains(bot.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains($"Refused /reload for user {SlackEmulator.UserId}", StringComparison.Ordinal));

        var admin = Payloads.SlashCommand(bot.Slack, "/reload", "", user: SlackEmulator.AdminUserId);
        var listed = Payloads.SlashCommand(bot.Slack, "/reload", "", user: listedAdmin);
        await bot.Slack.SendEnvelopeAsync("slash_commands", admin);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 2, "the admin's reload");
        await bot.Slack.SendEnvelopeAsync("slash_commands", listed);
        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 3, "the listed admin's reload");

        Assert.Equal(2, bot.Engine.Reloads);
        foreach (var done in bot.Slack.Responses.Skip(1))
        {
            Assert.Equal("ephemeral", done.ResponseType);
            Assert.Contains("Reload finished", done.AllText, StringComparison.Ordinal);
        }

        // The listed admin needed no users.info look-up.
        Assert.Equal(2, bot.Slack.Calls.Count(c => c.Method == "users.info"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Ask_channels_without_the_channels_history_scope_are_warned_about_once_at_start()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, s => s["Slack:AskChannelIds:0"] = SlackEmulator.ChannelId);

        var warning = Assert.Single(bot.Logs.Entries, e => e.Message.Contains("lacks the scope", StringComparison.Ordinal));
        Assert.Contains("channels:history", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("users:read", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_bot_token_stops_the_front_end_with_one_line_and_no_secret()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, setUp: slack => slack.BotTokenError = "invalid_auth", waitUntilReady: false);

        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(20));

        var critical = Assert.Single(bot.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("invalid_auth", critical.Message, StringComparison.Ordinal);
        Assert.Contains("Slack:BotToken", critical.Message, StringComparison.Ordinal);
        Assert.Empty(bot.Slack.Connections);
        Assert.Single(bot.Slack.Calls, c => c.Method == "auth.test");
        // Reconnecting cannot help, so the host stops (and the process exits non-zero) for a supervisor to notice.
        Assert.True(bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task A_bot_token_revoked_while_running_stops_the_front_end_and_the_host_with_one_line()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine);
        bot.Slack.BotTokenError = "token_revoked";

        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out _));
        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(20));

        var critical = Assert.Single(bot.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("token_revoked", critical.Message, StringComparison.Ordinal);
        Assert.Contains("Slack:BotToken", critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackEmulator.BotToken, bot.Logs.All, StringComparison.Ordinal);
        Assert.True(bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task An_inactive_app_token_stops_the_front_end_with_one_line()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, setUp: slack => slack.AppTokenError = "account_inactive", waitUntilReady: false);

        await bot.FrontEndTask.WaitAsync(TimeSpan.FromSeconds(20));

        var critical = Assert.Single(bot.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("account_inactive", critical.Message, StringComparison.Ordinal);
        Assert.Contains("Slack:AppToken", critical.Message, StringComparison.Ordinal);
        Assert.Single(bot.Slack.Calls, c => c.Method == "apps.connections.open");
        Assert.True(bot.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }
    [Fact]
    public async Task Questions_acknowledged_before_stopping_are_still_answered_while_the_receiver_stops_at_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bot = await BotHarness.StartAsync(HeldEngine(release.Task), settings =>
        {
            settings["Slack:MaxConcurrentQuestions"] = "1";
            settings["FrontEnds:StopDrainTime"] = "00:01:00";
        });
        var connection = bot.Slack.Current!;
        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var running));
        await bot.Slack.WaitUntilAsync(() => bot.Engine.Asks == 1, "the first question at the engine");
        // Acknowledged, and waiting for the one slot when stopping begins.
        await bot.Slack.WaitForAckAsync(await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "who declined the invitation?", out var waiting)));

        var stopping = bot.Host.StopAsync();
        await connection.Ended.Task.WaitAsync(Patience);
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(Patience);

        Assert.Contains(ScheduleWords, Assert.Single(bot.Answers(running)).AllText, StringComparison.Ordinal);
        Assert.Single(bot.Answers(waiting));
        Assert.Single(bot.Slack.Connections);
        Assert.False(bot.Logs.Contains("dropped unanswered"));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Questions_left_when_the_drain_time_runs_out_are_dropped_with_their_claims_given_up_and_one_warning()
    {
        var claims = new RecordingClaims(new InMemoryEventClaims(TimeProvider.System, new EventClaimsOptions()));
        await using var bot = await BotHarness.StartAsync(HeldEngine(new TaskCompletionSource().Task), settings =>
        {
            settings["Slack:MaxConcurrentQuestions"] = "1";
            settings["FrontEnds:StopDrainTime"] = "00:00:00.200";
        }, services: s => s.AddSingleton<IEventClaims>(claims));
        await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var running));
        await bot.Slack.WaitUntilAsync(() => bot.Engine.Asks == 1, "the first question at the engine");
        await bot.Slack.WaitForAckAsync(await bot.Slack.SendEventAsync(Payloads.Mention(bot.Slack, "who declined the invitation?", out var waiting)));
        await bot.Slack.WaitUntilAsync(() => claims.Claimed.Count == 2, "the second question's claim");

        await bot.Host.StopAsync().WaitAsync(Patience);

        Assert.Empty(bot.Answers(running));
        Assert.Empty(bot.Answers(waiting));
        Assert.Equal(claims.Claimed.Order(), claims.Abandoned.Order());
        var warning = Assert.Single(bot.Logs.Entries, e => e.Message.Contains("dropped unanswered", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("Stopping Slack: 2 acknowledged", warning.Message, StringComparison.Ordinal);
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The seed engine, answering only once <paramref name="release"/> completes (if ever).</summary>
    private INewsBotEngine HeldEngine(Task release)
    {
        var held = Substitute.For<INewsBotEngine>();
        held.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var cancellationToken = call.Arg<CancellationToken>();
            await release.WaitAsync(cancellationToken);
            return await seed.Engine.AskAsync(call.Arg<Question>(), cancellationToken);
        });
        return held;
    }

    /// <summary>Claims kept in memory, with the keys claimed and those given up unanswered (abandoned).</summary>
    private sealed class RecordingClaims(IEventClaims inner) : IEventClaims
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Claimed { get; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<string> Abandoned { get; } = new();

        public async ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
        {
            var claim = await inner.TryClaimAsync(key, payload, cancellationToken);
            if (claim is not null)
                Claimed.Enqueue(key);
            return claim;
        }

        public ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default) => inner.RenewAsync(claim, cancellationToken);

        public ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default) => inner.CompleteAsync(claim, cancellationToken);

        public ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default) => inner.ReleaseAsync(claim, cancellationToken);

        public ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default)
        {
            Abandoned.Enqueue(claim.Key);
            return inner.AbandonAsync(claim, cancellationToken);
        }

        public ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default) =>
            inner.TakeOverAbandonedAsync(keyPrefix, maxAttempts, max, cancellationToken);
    }
}
