using System.Text.Json.Nodes;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Answering;
using NewsBot.Slack.HttpMode;
using NewsBot.Slack.Messages;
using NewsBot.Slack.Tests.Emulator;
using NewsBot.Summaries;

namespace NewsBot.Slack.Tests;

public sealed class UnitTests
{
    /// <summary>The worked example in Slack's "Verifying requests from Slack".</summary>
    private const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    [Theory]
    [InlineData(60, DocSignature, true)]
    [InlineData(-60, DocSignature, true)]
    [InlineData(301, DocSignature, false)]
    [InlineData(-301, DocSignature, false)]
    [InlineData(0, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504", false)]
    [InlineData(0, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", false)]
    [InlineData(0, "", false)]
    public void The_documented_signature_verifies_only_within_five_minutes_of_its_timestamp(int secondsLater, string signature, bool valid)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1531420618 + secondsLater));
        var verifier = new RequestSignature(SlackEmulator.SigningSecret, TimeSpan.FromMinutes(5), time);

        Assert.Equal(valid, verifier.IsValid("1531420618", signature, Encoding.UTF8.GetBytes(DocBody)));
        Assert.False(verifier.IsValid(null, DocSignature, Encoding.UTF8.GetBytes(DocBody)));
        Assert.False(verifier.IsValid("1531420618", DocSignature, Encoding.UTF8.GetBytes(DocBody + "&x=1")));
    }

    [Fact]
    public void Escaping_turns_only_the_three_control_characters_into_entities()
    {
        Assert.Equal("&lt;!channel&gt; AT&amp;T &lt;@U1&gt; *bold* “quotes”", Mrkdwn.Escape("<!channel> AT&T <@U1> *bold* “quotes”"));
        Assert.Equal("plain", Mrkdwn.Escape("plain"));
    }

    [Fact]
    public void A_question_loses_the_bots_mention_and_link_markup_and_keeps_everything_else()
    {
        Assert.Equal("why did <@U0OTHER> & the PMO see https://example.com and Example?",
            Mrkdwn.ToPlainQuestion("<@UBOT1> why did <@U0OTHER> &amp; the PMO see <https://example.com> and <https://example.com|Example>? <@UBOT1|newsbot>", "UBOT1"));
    }

    [Fact]
    public void A_long_answer_with_many_citations_is_split_on_sentence_boundaries_within_every_Block_Kit_limit()
    {
        var sentences = Enumerable.Range(1, 400).Select(i => $"Sentence number {i} says that A&B <rose> by {i} percent.").ToList();
        var text = string.Join(" ", sentences);
        var citations = Enumerable.Range(1, 23).Select(i => new Citation(i, "src", $"Title {i} <b>", i, $"Quote {i} with <!channel> inside.", i * 10, (i * 10) + 30)).ToList();

        var messages = SlackReplyComposer.Compose(new Answer("q", true, text, citations, Note: "A note & more."));

        Assert.True(messages.Count > 1);
        var sections = new List<string>();
        foreach (var message in messages)
        {
            var json = message.ToJson();
            Assert.Empty(MessageRules.Check(json));
            Assert.Empty(MessageRules.Pings(json));
            sections.AddRange(json["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "section").Select(b => (string)b!["text"]!["text"]!));
        }

        var answerSections = sections.Where(s => s.StartsWith("Sentence", StringComparison.Ordinal)).ToList();
        Assert.True(answerSections.Count > 3);
        Assert.All(answerSections, s => Assert.EndsWith("percent.", s, StringComparison.Ordinal));
        Assert.Equal(Mrkdwn.Escape(text), string.Join(" ", answerSections));
        var quotes = messages.SelectMany(m => m.Blocks).Count(b => (string?)b!["type"] == "rich_text");
        Assert.Equal(23, quotes);
        var contexts = messages.SelectMany(m => m.Blocks).Where(b => (string?)b!["type"] == "context").ToList();
        Assert.Equal(23, contexts.Sum(c => c!["elements"]!.AsArray().Count));
    }

    [Fact]
    public void Each_quote_is_shown_once_as_a_quote_block_where_the_answer_quotes_it()
    {
        var first = new Citation(1, "src", "Title", 9, "He said: “we must decline *your* kind invitation.”", 10, 60);
        var second = new Citation(2, "src", "Title", 2, "The meeting was set for Davos.", 70, 100);
        var cited = new Citation(3, "src", "Title", 4, "A sentence the answer only cites.", 110, 140);
        var text = $"Because of his schedule. {QuoteMarks.Wrap(first.Quote)} [1] Also: {QuoteMarks.Wrap(second.Quote)} [2] See [3].";

        var blocks = SlackReplyComposer.Compose(new Answer("q", true, text, [first, second, cited])).SelectMany(m => m.ToJson()["blocks"]!.AsArray()).ToList();

        string Kind(JsonNode? b) => (string)b!["type"]!;
        string QuoteOf(JsonNode? b) => (string)b!["elements"]![0]!["elements"]![1]!["text"]!;
        Assert.Equal(["section", "rich_text", "section", "rich_text", "section", "rich_text", "context"], blocks.Select(Kind));
        Assert.Equal([first.Quote, second.Quote, cited.Quote], blocks.Where(b => Kind(b) == "rich_text").Select(QuoteOf));
        var sections = blocks.Where(b => Kind(b) == "section").Select(b => (string)b!["text"]!["text"]!).ToList();
        Assert.Equal(["Because of his schedule.", "Also:", "See [3]."], sections);
    }

    [Fact]
    public void A_digest_of_the_newest_articles_is_headed_by_what_it_covers_and_cites_every_lead_within_Block_Kit_limits()
    {
        var citations = Enumerable.Range(1, 8)
            .Select(i => new Citation(i, $"a{i}", $"Story <{i}> & more", 2, $"Reporters wrote story {i} about the *council* meeting, {new string('x', 200)}.", 10, 250))
            .ToList();
        var text = string.Join("\n", citations.Select(c => $"• “{c.Title}” ({c.SourceId}): {c.Quote} [{c.Number}]"));

        var messages = SlackReplyComposer.Compose(new Summary(null, "The 8 newest of 1,204 articles", text, citations, "Ask about one."));

        var blocks = messages.SelectMany(m => m.ToJson()["blocks"]!.AsArray()).ToList();
        Assert.All(messages, m => Assert.Empty(MessageRules.Check(m.ToJson())));
        var json = string.Join("\n", messages.Select(m => m.ToJson().ToJsonString()));
        Assert.Contains("The 8 newest of 1,204 articles", json, StringComparison.Ordinal);
        Assert.All(citations, c => Assert.Contains($"Reporters wrote story {c.Number} about", json, StringComparison.Ordinal));
        Assert.DoesNotContain("<1>", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_sentence_longer_than_a_section_is_cut_between_words()
    {
        var sentence = string.Join(" ", Enumerable.Repeat("word&", 1500)) + ".";

        var pieces = SentenceSplitter.Split(sentence, 3000);

        Assert.All(pieces, p => Assert.True(Mrkdwn.Escape(p).Length <= 3000));
        Assert.Equal(sentence, string.Join(" ", pieces));
    }

    [Theory]
    [InlineData("Slack:AppToken", "xapp-1-A0-1-secretvalue", null, "Slack:AppToken is set but Slack:BotToken is not")]
    [InlineData("Slack:BotToken", "xoxp-user-token-secretvalue", null, "Slack:BotToken must be a bot token starting with 'xoxb-'")]
    [InlineData("Slack:BotToken", "xoxb-only-secretvalue", null, "set Slack:AppToken (xapp-…, Socket Mode) or Slack:HttpEndpoint:Enabled=true")]
    [InlineData("Slack:BotToken", "xoxb-only-secretvalue", "Slack:HttpEndpoint:Enabled", "Slack:SigningSecret is required")]
    [InlineData("Slack:SocketMode:PongTimeout", "00:00:00", null, "Slack:SocketMode:PingInterval and PongTimeout must be positive")]
    public void Invalid_settings_give_a_line_naming_the_key_and_never_the_secret(string key, string value, string? flag, string expected)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (flag is not null)
            settings[flag] = "true";
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddSlackFrontEnd(configuration);
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        var error = Assert.Throws<OptionsValidationException>(() => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IOptions<SlackOptions>>(provider).Value);

        Assert.Contains(error.Failures, line => line.Contains(expected, StringComparison.Ordinal));
        Assert.All(error.Failures, line => Assert.DoesNotContain("secretvalue", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_bot_token_nothing_runs_and_nothing_is_required()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddSlackFrontEnd(configuration);

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(NewsBot.Chat.IChatFrontEnd));
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IOptions<SlackOptions>>(provider).Value;
        Assert.Equal(new Uri("https://slack.com/api/"), options.ApiBaseUrl);
        Assert.Equal("http://127.0.0.1:8081", options.HttpEndpoint.ListenUrl);
    }

    [Fact]
    public void The_manifest_declares_the_commands_events_scopes_and_socket_mode()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(FindManifest()))!;

        var scopes = manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Equal(["app_mentions:read", "chat:write", "commands", "im:history", "users:read"], scopes.Order());
        var events = manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => (string)e!).Order();
        Assert.Equal(["app_mention", "message.im"], events);
        var commands = manifest["features"]!["slash_commands"]!.AsArray().Select(c => (string)c!["command"]!).Order();
        Assert.Equal(["/ask", "/reload", "/sources", "/summary"], commands);
        Assert.True((bool)manifest["settings"]!["socket_mode_enabled"]!);
        Assert.True((bool)manifest["features"]!["app_home"]!["messages_tab_enabled"]!);
    }

    private static string FindManifest()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "NewsBot.Slack", "slack-app-manifest.json");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException("src/NewsBot.Slack/slack-app-manifest.json was not found above the test assembly.");
    }

    [Fact]
    public void The_sources_list_opens_with_why_it_may_be_out_of_date_escaped_and_still_lists_every_article()
    {
        const string notice = "This list may be out of date: the index store cannot be reached (since 2026-03-01 08:03 UTC); answers come from <the articles> loaded 2026-03-01 07:58 UTC.";
        var sources = Enumerable.Range(1, 60).Select(i => new NewsBot.Sources.SourceInfo($"article-{i}", $"Title {i} & more", null, 3, 9, 2)).ToList();

        var messages = SlackReplyComposer.SourcesList(sources, notice);

        var sections = messages.SelectMany(m => m.ToJson()["blocks"]!.AsArray()).Select(b => (string)b!["text"]!["text"]!).ToList();
        Assert.Equal(":warning: " + Mrkdwn.Escape(notice), sections[0]);
        Assert.Equal("*Indexed articles*", sections[1]);
        Assert.All(sources, s => Assert.Contains(sections, t => t.Contains($"• {s.Id}:", StringComparison.Ordinal)));
        Assert.All(messages, m => Assert.Empty(MessageRules.Check(m.ToJson())));
        Assert.DoesNotContain(SlackReplyComposer.SourcesList(sources).SelectMany(m => m.ToJson()["blocks"]!.AsArray()), b => ((string)b!["text"]!["text"]!).Contains(":warning:", StringComparison.Ordinal));
        Assert.StartsWith(":warning: " + Mrkdwn.Escape(notice), SlackReplyComposer.SourcesList([], notice).Single().ToJson()["blocks"]![0]!["text"]!["text"]!.ToString(), StringComparison.Ordinal);
    }
}
