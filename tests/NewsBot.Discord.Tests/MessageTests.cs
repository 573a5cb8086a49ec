using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.Tests.Emulator;
using NSubstitute;

namespace NewsBot.Discord.Tests;

public sealed class MessageTests
{
    [Fact]
    public async Task Mention_question_gets_one_reply_with_the_exact_quote_referencing_the_message_and_pinging_nobody()
    {
        await using var bot = await BotHarness.StartAsync();
        var question = Fixtures.Mention("why did the PMO decline the meeting?");

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", question);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the reply");
        await Task.Delay(200);

        var reply = Assert.Single(bot.Emulator.Messages);
        Assert.Equal((string)question["id"]!, reply.ReferencedMessageId);
        Assert.Contains(SeedArticle.ScheduleCitation().Quote, reply.AllText, StringComparison.Ordinal);
        Assert.Contains("must decline your kind invitation", SeedArticle.ScheduleCitation().Quote, StringComparison.Ordinal);
        Assert.Empty(reply.Pings);
        Assert.Equal("[]", reply.Body["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.Contains(DiscordEmulator.ChannelId, bot.Emulator.Typing);
        await bot.Engine.Received(1).AskAsync(
            Arg.Is<Question>(q => q.Text == "why did the PMO decline the meeting?" && q.ConversationId == $"discord:{DiscordEmulator.ChannelId}:{DiscordEmulator.UserId}"),
            Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Everyone_and_ping_instructions_in_the_question_ping_nobody()
    {
        // An engine that echoes the question puts the mentions into the reply text: allowed_mentions must still stop them.
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine =>
            engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
                .Returns(call => new Answer(call.Arg<Question>().Text, false, $"I can't help with \"{call.Arg<Question>().Text}\": the articles don't say.", [])));
        var text = $"@everyone @here ping <@{DiscordEmulator.UserId}> and <@&539082325061836999> and tell everyone about the PMO";

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention(text));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the reply");

        var reply = Assert.Single(bot.Emulator.Messages);
        Assert.Contains("@everyone", reply.Content, StringComparison.Ordinal);
        Assert.Empty(reply.Pings);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task Old_style_mention_DM_and_ask_channel_are_answered_while_self_bots_webhooks_and_chatter_are_ignored()
    {
        const string askChannel = "645027906669519999";
        await using var bot = await BotHarness.StartAsync(settings => settings["Discord:AskChannelIds:0"] = askChannel);

        var ignoredSelf = Fixtures.GuildMessage($"<@{DiscordEmulator.BotUserId}> talking to myself", authorId: DiscordEmulator.BotUserId);
        var ignoredBot = Fixtures.Mention("another bot asks");
        ignoredBot["author"]!["bot"] = true;
        var ignoredWebhook = Fixtures.Mention("a webhook asks");
        ignoredWebhook["webhook_id"] = "1181239400000000077";
        var ignoredChatter = Fixtures.GuildMessage("just chatting, not for the bot");
        var oldMention = Fixtures.GuildMessage($"<@!{DiscordEmulator.BotUserId}> old style mention?");
        var dm = Fixtures.DirectMessage("what did the PMO say?");
        var asked = Fixtures.GuildMessage("question in the ask channel", channelId: askChannel);

        foreach (var message in new[] { ignoredSelf, ignoredBot, ignoredWebhook, ignoredChatter, oldMention, dm, asked })
            await bot.Emulator.DispatchAsync("MESSAGE_CREATE", message);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count >= 3, "three replies");
        await Task.Delay(300);

        var answered = bot.Emulator.Messages.Select(m => m.ReferencedMessageId ?? "").Order().ToList();
        Assert.Equal(new[] { (string)oldMention["id"]!, (string)dm["id"]!, (string)asked["id"]! }.Order().ToList(), answered);
        await bot.Engine.Received(1).AskAsync(Arg.Is<Question>(q => q.Text == "old style mention?"), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Theory]
    [InlineData(false, 4609)]
    [InlineData(true, 37377)]
    public async Task Identify_asks_for_message_content_only_when_ask_channels_are_configured(bool askChannels, int intents)
    {
        await using var bot = await BotHarness.StartAsync(settings =>
        {
            if (askChannels)
                settings["Discord:AskChannelIds:0"] = "645027906669519999";
        });

        var identify = Assert.Single(bot.Emulator.Current!.Sent(2));
        Assert.Equal(intents, (int)identify["d"]!["intents"]!);
        Assert.Equal("[0,1]", identify["d"]!["shard"]!.ToJsonString());
        Assert.Equal("NewsBot", (string)identify["d"]!["properties"]!["browser"]!);
    }

    [Fact]
    public async Task Long_answers_are_split_on_sentence_boundaries_with_the_citations_on_the_last_piece()
    {
        var sentence = "The Prime Minister's Office said the schedule was full that week. ";
        var longText = string.Concat(Enumerable.Repeat(sentence, 70)).Trim();
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine =>
            engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
                .Returns(new Answer("q", true, longText, [SeedArticle.ScheduleCitation()])));
        var question = Fixtures.Mention("tell me everything");

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", question);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 3, "three pieces");
        await Task.Delay(200);

        var pieces = bot.Emulator.Messages;
        Assert.Equal(3, pieces.Count);
        Assert.All(pieces, p => Assert.True(p.Content.Length <= 2000));
        Assert.All(pieces, p => Assert.EndsWith(".", p.Content, StringComparison.Ordinal));
        Assert.Equal(longText, string.Join(" ", pieces.Select(p => p.Content)));
        Assert.Equal((string)question["id"]!, pieces[0].ReferencedMessageId);
        Assert.Null(pieces[1].ReferencedMessageId);
        Assert.Null(pieces[0].Body["embeds"]);
        Assert.Contains(SeedArticle.ScheduleCitation().Quote, pieces[2].AllText, StringComparison.Ordinal);
        Assert.All(pieces, p => Assert.Empty(p.Pings));
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_user_over_the_question_limit_gets_exactly_one_short_notice()
    {
        await using var bot = await BotHarness.StartAsync(settings =>
        {
            settings["Discord:QuestionLimits:UserBurst"] = "2";
            settings["Discord:QuestionLimits:UserPerMinute"] = "1";
        });

        var questions = Enumerable.Range(0, 5).Select(i => Fixtures.Mention($"question number {i}?")).ToList();
        foreach (var question in questions)
            await bot.Emulator.DispatchAsync("MESSAGE_CREATE", question);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count >= 3, "two answers and a notice");
        await Task.Delay(300);

        var replies = bot.Emulator.Messages;
        Assert.Equal(3, replies.Count);
        var notice = Assert.Single(replies, r => r.Content.Contains("faster than I can answer", StringComparison.Ordinal));
        Assert.True(notice.Content.Length < 200);
        await bot.Engine.Received(2).AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>());
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_rejected_question_is_answered_with_the_engines_message()
    {
        await using var bot = await BotHarness.StartAsync(engineSetUp: engine =>
            engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
                .Returns<Task<Answer>>(_ => throw new QuestionRejectedException(QuestionProblem.TooLong, "That question is too long (at most 500 characters).")));

        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", Fixtures.Mention(new string('x', 600)));
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the reply");

        Assert.Equal("That question is too long (at most 500 characters).", bot.Emulator.Messages[0].Content);
        bot.AssertNoProblems();
    }

}
