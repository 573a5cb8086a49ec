using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.Commands;
using NewsBot.Discord.Messages;
using NewsBot.Discord.RateLimiting;
using NewsBot.Discord.Tests.Emulator;

namespace NewsBot.Discord.Tests;

public sealed class OptionsTests
{
    private static ValidateOptionsResult Validate(Action<DiscordOptions> change)
    {
        var options = new DiscordOptions { Token = "abc.def.ghi" };
        change(options);
        return new DiscordOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void A_valid_configuration_passes_and_no_token_means_not_configured()
    {
        Assert.True(Validate(_ => { }).Succeeded);
        Assert.True(new DiscordOptionsValidator().Validate(null, new DiscordOptions()).Succeeded);
        Assert.False(DiscordOptions.IsConfigured(new ConfigurationBuilder().Build()));
        Assert.True(DiscordOptions.IsConfigured(new ConfigurationBuilder().AddInMemoryCollection([new("Discord:Token", "x")]).Build()));
    }

    [Fact]
    public void A_number_out_of_range_is_an_error_without_a_token_too()
    {
        var result = new DiscordOptionsValidator().Validate(null, new DiscordOptions { ShardCount = 0 });

        Assert.Equal("Discord:ShardCount must be between 1 and 65536.", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("Bot secret-token-value", "without a 'Bot '")]
    [InlineData("secret token value", "whitespace")]
    public void Token_mistakes_are_explained_without_echoing_the_token(string token, string hint)
    {
        var result = Validate(o => o.Token = token);

        Assert.True(result.Failed);
        var error = Assert.Single(result.Failures!);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Other_mistakes_each_get_one_clear_line()
    {
        var result = Validate(o =>
        {
            o.ShardId = 2;
            o.ShardCount = 2;
            o.ApiBaseUrl = new Uri("ftp://discord.com/api/v10");
            o.InteractionsEndpoint.Enabled = true;
            o.InteractionsEndpoint.PublicKey = "not-hex";
        });

        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Discord:ShardId", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Discord:ApiBaseUrl", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("PublicKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_configuration_stops_host_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            BotHarness.StartAsync(settings => settings["Discord:Token"] = "Bot " + DiscordEmulator.Token, waitForReady: false));

        Assert.DoesNotContain(DiscordEmulator.Token, error.Message, StringComparison.Ordinal);
    }
}

public sealed class ReplyComposerTests
{
    [Fact]
    public void Text_is_split_on_sentence_boundaries_within_the_limit()
    {
        var text = string.Join(" ", Enumerable.Range(1, 200).Select(i => $"Sentence number {i} ends here."));

        var pieces = TextSplitter.Split(text, 300);

        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 300));
        Assert.All(pieces, p => Assert.EndsWith("ends here.", p, StringComparison.Ordinal));
        Assert.Equal(text, string.Join(" ", pieces));
    }

    [Fact]
    public void Text_without_boundaries_is_still_cut_within_the_limit()
    {
        var text = new string('a', 4500);

        var pieces = TextSplitter.Split(text, 2000);

        Assert.Equal([2000, 2000, 500], pieces.Select(p => p.Length));
    }

    [Fact]
    public void Many_long_citations_become_one_embed_within_every_limit()
    {
        var quote = string.Join(" ", Enumerable.Repeat(SeedArticle.ScheduleCitation().Quote, 5));
        var citations = Enumerable.Range(1, 40).Select(i => new Citation(i, "src", new string('T', 300), i, quote, 0, quote.Length)).ToList();

        var reply = ReplyComposer.Compose(new Answer("q", true, "See the sources.", citations));

        var embed = Assert.Single(reply.Embeds!);
        Assert.InRange(embed.Fields!.Count, 1, 25);
        Assert.All(embed.Fields!, f => Assert.InRange(f.Value.Length, 1, 1024));
        Assert.All(embed.Fields!, f => Assert.InRange(f.Name.Length, 1, 256));
        Assert.Contains("more citation", embed.Footer!.Text, StringComparison.Ordinal);
        var total = embed.Title!.Length + embed.Footer.Text.Length + embed.Fields!.Sum(f => f.Name.Length + f.Value.Length);
        Assert.True(total <= 6000, $"{total} characters");
        EmbedLimits.Validate(null, reply.Embeds);
    }

    [Theory]
    [InlineData(257, 0, 0)]
    [InlineData(0, 4097, 0)]
    [InlineData(0, 0, 26)]
    public void Embed_limits_are_enforced(int title, int description, int fields)
    {
        var embed = new Embed(
            Title: title > 0 ? new string('t', title) : null,
            Description: description > 0 ? new string('d', description) : null,
            Fields: Enumerable.Range(0, fields).Select(i => new EmbedField("n", "v")).ToList());

        Assert.Throws<InvalidOperationException>(() => EmbedLimits.Validate(null, [embed]));
    }

    [Fact]
    public void The_6000_character_total_is_enforced_across_embeds()
    {
        var embeds = Enumerable.Range(0, 2).Select(_ => new Embed(Description: new string('d', 3500))).ToList();

        var error = Assert.Throws<InvalidOperationException>(() => EmbedLimits.Validate(null, embeds));

        Assert.Contains("6000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quote_the_answer_already_shows_is_not_repeated_in_the_embed()
    {
        var shown = SeedArticle.ScheduleCitation();
        var bare = shown with { Number = 2, Quote = "Another sentence the answer only cites." };
        var answer = new Answer("q", true, $"{QuoteMarks.Wrap(shown.Quote)} [1] See also [2].", [shown, bare]);

        var reply = ReplyComposer.Compose(answer);

        var fields = Assert.Single(reply.Embeds!).Fields!;
        Assert.StartsWith("[1] ", fields[0].Name, StringComparison.Ordinal);
        Assert.DoesNotContain(shown.Quote, fields[0].Value, StringComparison.Ordinal);
        Assert.Contains(shown.SourceId, fields[0].Value, StringComparison.Ordinal);
        Assert.Equal(QuoteMarks.Wrap(bare.Quote), fields[1].Value);
        EmbedLimits.Validate(null, reply.Embeds);
    }
}

public sealed class AdminPolicyTests
{
    private static Interaction Invoked(string permissions, string userId = "1", params string[] roles) =>
        new("9", "8", 2, "token", new InteractionData("reload"), "7", "6", new DiscordMember(new DiscordUser(userId), roles, permissions));

    [Theory]
    [InlineData("8", true)]
    [InlineData("32", true)]
    [InlineData("4503599627370496", false)] // 1 << 52: high bits must parse, and grant nothing here
    [InlineData("4503599627370528", true)] // 1 << 52 | MANAGE_GUILD
    [InlineData("311385508928", false)]
    [InlineData("not-a-number", false)]
    public void Manage_server_or_administrator_is_required(string permissions, bool allowed) =>
        Assert.Equal(allowed, new AdminPolicy(Options.Create(new DiscordOptions())).IsAdmin(Invoked(permissions)));

    [Fact]
    public void A_direct_message_invoker_without_member_is_refused_unless_listed()
    {
        var dm = new Interaction("9", "8", 2, "token", new InteractionData("reload"), User: new DiscordUser("42"));
        var listed = new DiscordOptions();
        listed.AdminUserIds.Add(42);

        Assert.False(new AdminPolicy(Options.Create(new DiscordOptions())).IsAdmin(dm));
        Assert.True(new AdminPolicy(Options.Create(listed)).IsAdmin(dm));
    }
}

public sealed class QuestionRateLimiterTests
{
    [Fact]
    public void Over_the_limit_the_first_refusal_notifies_and_later_ones_stay_quiet_until_a_token_returns()
    {
        var time = new FakeTimeProvider();
        var options = new DiscordOptions { QuestionLimits = { UserBurst = 1, UserPerMinute = 6, ChannelBurst = 10, ChannelPerMinute = 60 } };
        var limiter = new QuestionRateLimiter(options.QuestionLimits.ToSettings(), time);

        Assert.Equal(QuestionVerdict.Allowed, limiter.Check("u", "c", out _));
        Assert.Equal(QuestionVerdict.LimitedNotify, limiter.Check("u", "c", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(10), retryAfter);
        Assert.Equal(QuestionVerdict.LimitedQuiet, limiter.Check("u", "c", out _));
        Assert.Equal(QuestionVerdict.Allowed, limiter.Check("other", "c", out _));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(QuestionVerdict.Allowed, limiter.Check("u", "c", out _));
        Assert.Equal(QuestionVerdict.LimitedNotify, limiter.Check("u", "c", out _));
    }
}

public sealed class SlidingWindowLimiterTests
{
    [Fact]
    public async Task No_more_than_the_limit_passes_in_any_window()
    {
        var limiter = new SlidingWindowLimiter(3, TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 3; i++)
            await limiter.WaitAsync(CancellationToken.None);
        var burst = clock.Elapsed;
        await limiter.WaitAsync(CancellationToken.None);

        Assert.True(burst < TimeSpan.FromMilliseconds(150), $"burst took {burst.TotalMilliseconds} ms");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"fourth passed after {clock.Elapsed.TotalMilliseconds} ms");
    }
}
