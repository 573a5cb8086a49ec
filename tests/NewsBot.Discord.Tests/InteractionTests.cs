using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NewsBot.Answering;
using NewsBot.Discord.Tests.Emulator;
using NewsBot.Ingestion;
using NewsBot.Summaries;
using NewsBot.Testing.Time;
using NSubstitute;

namespace NewsBot.Discord.Tests;

public sealed class InteractionTests
{
    private const string NoAdminBits = "311385508928";
    private const string ManageServer = "32";

    private static int CallbackType(JsonObject body) => (int)body["type"]!;

    private static int? Flags(JsonObject body) => (int?)body["data"]?["flags"];

    [Fact]
    public async Task Ask_is_deferred_then_completed_with_the_exact_quote()
    {
        await using var bot = await BotHarness.StartAsync();
        var interaction = Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", "why did the PMO decline the meeting?")));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", interaction);
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");

        var callback = Assert.Single(bot.Emulator.Callbacks);
        Assert.Equal((string)interaction["id"]!, callback.InteractionId);
        Assert.Equal(5, CallbackType(callback.Body));
        Assert.Null(Flags(callback.Body));
        var edit = Assert.Single(bot.Emulator.OriginalEdits);
        Assert.Equal((string)interaction["token"]!, edit.Token);
        Assert.Contains(SeedArticle.ScheduleCitation().Quote, CreatedMessage.WebhookText(edit.Body), StringComparison.Ordinal);
        Assert.Empty(MentionRules.Pings(edit.Body, webhook: true, repliedAuthorId: null));
        await bot.Engine.Received(1).AskAsync(
            Arg.Is<Question>(q => q.Text == "why did the PMO decline the meeting?" && q.ConversationId == $"discord:{DiscordEmulator.ChannelId}:{DiscordEmulator.UserId}"),
            Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task An_over_long_ask_gets_a_clear_ephemeral_error_and_never_reaches_the_engine()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", new string('q', 501)))));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the callback");
        await Task.Delay(200);

        var callback = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(4, CallbackType(callback));
        Assert.Equal(64, Flags(callback));
        Assert.Contains("501 characters", (string)callback["data"]!["content"]!, StringComparison.Ordinal);
        Assert.Contains("500", (string)callback["data"]!["content"]!, StringComparison.Ordinal);
        Assert.Empty(bot.Emulator.OriginalEdits);
        await bot.Engine.DidNotReceive().AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Summary_is_deferred_then_completed_with_the_requested_source_and_length()
    {
        var citation = SeedArticle.ScheduleCitation();
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine =>
            engine.SummarizeAsync(Arg.Any<SummaryRequest>(), Arg.Any<CancellationToken>())
                .Returns(new Summary(SeedArticle.SourceId, citation.Title, citation.Quote + " [1]", [citation])));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("summary", Fixtures.StringOptions(("source", "Netanyahu meeting"), ("length", "short"))));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");

        Assert.Equal(5, CallbackType(Assert.Single(bot.Emulator.Callbacks).Body));
        var text = CreatedMessage.WebhookText(Assert.Single(bot.Emulator.OriginalEdits).Body);
        Assert.Contains(citation.Title, text, StringComparison.Ordinal);
        Assert.Contains(citation.Quote, text, StringComparison.Ordinal);
        // In the asker's conversation, as a mention's question is: "who wrote it?" after it is about this article.
        await bot.Engine.Received(1).SummarizeAsync(
            new SummaryRequest(SeedArticle.SourceId, SummaryLength.Short, $"discord:{DiscordEmulator.ChannelId}:{DiscordEmulator.UserId}"), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Summary_without_a_source_asks_the_engine_for_none_and_shows_the_digest_it_gives()
    {
        var citation = SeedArticle.ScheduleCitation();
        var digest = new Summary(null, "The 2 articles loaded", $"• “{citation.Title}” ({SeedArticle.SourceId}): {citation.Quote} [1]", [citation], "Ask about one, or use /summary with its id, for more.");
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine =>
            engine.SummarizeAsync(Arg.Any<SummaryRequest>(), Arg.Any<CancellationToken>()).Returns(digest));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("summary"));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");

        var text = CreatedMessage.WebhookText(Assert.Single(bot.Emulator.OriginalEdits).Body);
        Assert.StartsWith("**The 2 articles loaded**\n• ", text, StringComparison.Ordinal);
        Assert.Contains(citation.Quote, text, StringComparison.Ordinal);
        await bot.Engine.Received(1).SummarizeAsync(
            new SummaryRequest(null, SummaryLength.Medium, $"discord:{DiscordEmulator.ChannelId}:{DiscordEmulator.UserId}"), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Summary_of_an_unknown_source_is_an_ephemeral_error_without_deferring()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("summary", Fixtures.StringOptions(("source", "no-such-article"))));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the callback");

        var callback = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(4, CallbackType(callback));
        Assert.Equal(64, Flags(callback));
        Assert.Contains("/sources", (string)callback["data"]!["content"]!, StringComparison.Ordinal);
        await bot.Engine.DidNotReceive().SummarizeAsync(Arg.Any<SummaryRequest>(), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Sources_lists_the_indexed_articles()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("sources"));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the callback");

        var callback = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(4, CallbackType(callback));
        Assert.Contains(SeedArticle.SourceId, (string)callback["data"]!["content"]!, StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Sources_open_with_why_the_list_may_be_out_of_date_when_the_index_store_cannot_be_followed()
    {
        const string notice = "This list may be out of date: the index store cannot be reached (since 2026-03-01 08:03 UTC); answers come from the articles loaded 2026-03-01 07:58 UTC.";
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine => engine.IndexNotice().Returns(notice));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("sources"));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the callback");

        var content = (string)Assert.Single(bot.Emulator.Callbacks).Body["data"]!["content"]!;
        Assert.StartsWith("⚠️ " + notice + "\n**Indexed articles**", content, StringComparison.Ordinal);
        Assert.Contains(SeedArticle.SourceId, content, StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Reload_by_a_member_without_permission_is_refused_ephemerally_logged_and_does_not_reload()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("reload", permissions: NoAdminBits));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the callback");
        await Task.Delay(200);

        var callback = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(4, CallbackType(callback));
        Assert.Equal(64, Flags(callback));
        Assert.Contains("Manage Server", (string)callback["data"]!["content"]!, StringComparison.Ordinal);
        await bot.Engine.DidNotReceive().ReloadAsync(Arg.Any<CancellationToken>());
        Assert.Contains(bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Refused /reload", StringComparison.Ordinal) && e.Message.Contains(DiscordEmulator.UserId, StringComparison.Ordinal));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Reload_by_an_admin_reloads_reports_the_numbers_and_questions_asked_meanwhile_are_answered()
    {
        var reload = new TaskCompletionSource<ReloadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine => engine.ReloadAsync(Arg.Any<CancellationToken>()).Returns(reload.Task));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("reload", permissions: ManageServer));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the deferral");
        var deferral = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(5, CallbackType(deferral));
        Assert.Equal(64, Flags(deferral));

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention("why did the PMO decline the meeting?"));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "an answer during the reload");
        Assert.Empty(bot.Emulator.OriginalEdits);

        reload.SetResult(new ReloadReport(1, 2, 0, 3, 412, 57, [new SourceProblem("seeds/broken.txt", "empty file")], TimeSpan.FromSeconds(2.5)));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the report");

        var report = (string)Assert.Single(bot.Emulator.OriginalEdits).Body["content"]!;
        foreach (var expected in new[] { "1 added", "2 updated", "0 removed", "412 sentences", "57 chunks", "2.5 s", "broken.txt" })
            Assert.Contains(expected, report, StringComparison.Ordinal);
        await bot.Engine.Received(1).ReloadAsync(Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    /// <summary>
    /// A reload at a million sentences outlasts the 15 minutes Discord honours the interaction token for. With a lifetime
    /// of 10 minutes, Discord's clock started before NewsBot received the interaction (a delivery backlog): the token is
    /// tried and refused.
    /// </summary>
    [Theory]
    [InlineData(15, 16, "it is older than its 15 minutes", 0)]
    [InlineData(10, 12, "Invalid Webhook Token", 1)]
    public async Task A_reload_that_outlasts_the_interaction_token_reports_in_the_channel_to_the_admin(
        int lifetimeMinutes, int reloadMinutes, string reason, int webhookCalls)
    {
        var clock = new JumpingClock();
        var reload = new TaskCompletionSource<ReloadReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bot = await BotHarness.StartAsync(
            setUp: emulator => (emulator.Clock, emulator.InteractionTokenLifetime) = (clock, TimeSpan.FromMinutes(lifetimeMinutes)),
            engineSetUp: engine => engine.ReloadAsync(Arg.Any<CancellationToken>()).Returns(reload.Task), time: clock);

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("reload", permissions: ManageServer));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the deferral");
        clock.Jump(TimeSpan.FromMinutes(reloadMinutes));
        reload.SetResult(new ReloadReport(10_000, 0, 0, 1_000, 1_010_115, 90_000, [], TimeSpan.FromMinutes(reloadMinutes)));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the report in the channel");

        var message = Assert.Single(bot.Emulator.Messages);
        Assert.Equal(DiscordEmulator.ChannelId, message.ChannelId);
        Assert.StartsWith($"<@{DiscordEmulator.UserId}> ", message.Content, StringComparison.Ordinal);
        Assert.Contains("10000 added", message.Content, StringComparison.Ordinal);
        Assert.Equal([$"user:{DiscordEmulator.UserId}"], message.Pings);
        Assert.Empty(bot.Emulator.OriginalEdits);
        var webhooks = bot.Emulator.Calls.Where(c => c.Path.StartsWith("webhooks/", StringComparison.Ordinal)).ToList();
        Assert.Equal(webhookCalls, webhooks.Count);
        Assert.All(webhooks, c => Assert.Equal(401, c.Status));
        Assert.Single(bot.Logs.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains($"/reload cannot be used after {reloadMinutes}.0 min", StringComparison.Ordinal) && e.Message.Contains(reason, StringComparison.Ordinal));
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData("Discord:AdminUserIds:0", DiscordEmulator.UserId)]
    [InlineData("Discord:AdminRoleIds:0", "539082325061836999")]
    public async Task Reload_is_allowed_for_configured_admin_users_and_roles(string key, string id)
    {
        await using var bot = await BotHarness.StartAsync(
            settings => settings[key] = id,
            engineSetUp: engine => engine.ReloadAsync(Arg.Any<CancellationToken>()).Returns(new ReloadReport(0, 0, 0, 1, 40, 6, [], TimeSpan.FromMilliseconds(300))));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("reload", permissions: NoAdminBits));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the report");

        Assert.Contains("Nothing changed", (string)bot.Emulator.OriginalEdits.Single().Body["content"]!, StringComparison.Ordinal);
        await bot.Engine.Received(1).ReloadAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Source_autocomplete_offers_matching_articles()
    {
        await using var bot = await BotHarness.StartAsync();
        var interaction = Fixtures.SlashCommand("summary");
        interaction["type"] = 4;
        interaction["data"]!["options"] = new JsonArray(new JsonObject { ["type"] = 3, ["name"] = "source", ["value"] = "netanyahu", ["focused"] = true });

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", interaction);
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.Callbacks.IsEmpty, "the choices");

        var callback = Assert.Single(bot.Emulator.Callbacks).Body;
        Assert.Equal(8, CallbackType(callback));
        var choice = Assert.Single(callback["data"]!["choices"]!.AsArray());
        Assert.Equal(SeedArticle.SourceId, (string)choice!["value"]!);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Interaction_replies_survive_429s_and_5xx_on_callback_and_edit_routes_exactly_once()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Emulator.Inject("callback", Fault.RouteRateLimit(0.1), Fault.ServerError(502));
        bot.Emulator.Inject("original", Fault.RouteRateLimit(0.1), Fault.ServerError(503), Fault.ServerError(500));

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", Fixtures.SlashCommand("ask", Fixtures.StringOptions(("question", "why did the PMO decline the meeting?"))));
        await bot.Emulator.WaitUntilAsync(() => !bot.Emulator.OriginalEdits.IsEmpty, "the edited response");
        await Task.Delay(300);

        Assert.Single(bot.Emulator.Callbacks);
        Assert.Single(bot.Emulator.OriginalEdits);
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData(true, "/applications/{application_id}/guilds/{guild_id}/commands")]
    [InlineData(false, "/applications/{application_id}/commands")]
    public async Task Commands_are_registered_by_bulk_overwrite_guild_scoped_when_a_guild_is_configured(bool guild, string route)
    {
        await using var bot = await BotHarness.StartAsync(settings =>
        {
            if (!guild)
                settings.Remove("Discord:GuildId");
        });

        var (registeredRoute, commands) = Assert.Single(bot.Emulator.CommandRegistrations);
        Assert.Equal(route, registeredRoute);
        var byName = commands.ToDictionary(c => (string)c!["name"]!, c => c!.AsObject());
        Assert.Equal(["ask", "reload", "sources", "summary"], byName.Keys.Order());
        Assert.Equal(500, (int)byName["ask"]["options"]![0]!["max_length"]!);
        Assert.Equal("32", (string)byName["reload"]["default_member_permissions"]!);
        Assert.Equal("[0]", byName["reload"]["contexts"]!.ToJsonString());
        Assert.True((bool)byName["summary"]["options"]![0]!["autocomplete"]!);
        Assert.Equal(["short", "medium", "long"], byName["summary"]["options"]![1]!["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Of_several_shard_processes_only_shard_0_registers_the_commands()
    {
        await using var shard0 = await BotHarness.StartAsync(settings => (settings["Discord:ShardId"], settings["Discord:ShardCount"]) = ("0", "2"));
        await using var shard1 = await BotHarness.StartAsync(settings => (settings["Discord:ShardId"], settings["Discord:ShardCount"]) = ("1", "2"), waitForReady: false);

        await shard1.Emulator.WaitUntilAsync(
            () => shard1.Logs.Entries.Any(e => e.Message.Contains("Shard 1 leaves slash command registration to shard 0", StringComparison.Ordinal)),
            "shard 1 handling READY");

        Assert.Single(shard0.Emulator.CommandRegistrations);
        Assert.Empty(shard1.Emulator.CommandRegistrations);
        shard0.AssertNoProblems();
        shard1.AssertNoProblems();
    }
}
