using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Slack.HttpMode;
using NewsBot.Slack.Tests.Emulator;
using NewsBot.Storage.Postgres;
using NewsBot.Testing.Time;
using NewsBot.Tests.MultiProcess;
using NSubstitute;

namespace NewsBot.Slack.Tests;

/// <summary>
/// Two Slack front ends on one Slack, as two processes would be (each its own host, counted engine and claim store
/// instance), sharing their event claims in a real store: an event Slack delivers again, to the other one, is answered once.
/// </summary>
[Collection(SeedEngineCollection.Name)]
public sealed class SeveralProcessesTests(SeedEngine seed, PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Question = "why did the PMO decline the meeting?";
    private readonly SharedClaimStores _stores = new(postgres);

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task An_event_Slack_retries_over_HTTP_to_the_other_process_is_answered_once(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var slack = await SlackEmulator.StartAsync();
        await using var first = await StartAsync(slack, claims, httpMode: true);
        await using var second = await StartAsync(slack, claims, httpMode: true);
        var mention = Payloads.Mention(slack, Question, out var ts);

        await first.DeliverAsync(mention);
        // Slack saw no acknowledgement within 3 s and retries; the load balancer sends the retry to the other process.
        using (var retry = await second.SignedPostAsync(SlackHttpEndpoint.EventsPath, mention.ToJsonString(), "application/json", retryNum: 1))
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await first.SettleAsync(ts);
        await second.SettleAsync();

        var reply = Assert.Single(first.Answers(ts));
        Assert.Contains("must decline your kind invitation", reply.AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(first, second));
        Assert.True(first.Logs.Contains("already claimed") || second.Logs.Contains("already claimed"));
        first.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task An_event_delivered_again_on_the_other_processs_Socket_Mode_connection_is_answered_once(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var slack = await SlackEmulator.StartAsync();
        await using var first = await StartAsync(slack, claims);
        await using var second = await StartAsync(slack, claims);
        var mention = Payloads.Mention(slack, Question, out var ts);

        await slack.SendEventAsync(mention, on: first.Connection);
        var again = await slack.SendEventAsync(mention, retryAttempt: 1, on: second.Connection);
        await slack.WaitForAckAsync(again);
        await first.SettleAsync(ts);
        await second.SettleAsync();

        Assert.Single(first.Answers(ts));
        Assert.Equal(1, Asked(first, second));
        Assert.NotSame(first.Connection, second.Connection);
        first.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_question_the_first_process_failed_to_answer_is_answered_by_the_other_on_Slacks_retry(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var slack = await SlackEmulator.StartAsync();
        var failing = Substitute.For<INewsBotEngine>();
        failing.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(Task.FromException<Answer>(new InvalidOperationException("the model server went away")));
        await using var first = await BotHarness.StartAsync(failing, httpMode: true, shared: slack, services: s => s.AddSingleton(_ => claims()));
        await using var second = await StartAsync(slack, claims, httpMode: true);
        var mention = Payloads.Mention(slack, Question, out var ts);

        await first.DeliverAsync(mention);
        await slack.WaitUntilAsync(() => first.Answers(ts).Count == 1, "the apology");
        // Slack retries (it saw the first acknowledgement late) and the load balancer sends the retries to the other process.
        // The first process releases its claim just after its apology is posted, so the first retry may still find it held.
        for (var retry = 1; retry <= 3 && Asked(second) == 0; retry++)
        {
            await RetryAsync(second, mention, retry, TimeProvider.System);
            await second.SettleAsync();
        }

        await slack.WaitUntilAsync(() => first.Answers(ts).Count == 2, "the answer");
        Assert.Contains("something went wrong", first.Answers(ts)[0].AllText, StringComparison.Ordinal);
        Assert.Contains("must decline your kind invitation", first.Answers(ts)[1].AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(second));
        first.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_question_whose_first_process_died_after_claiming_it_is_answered_by_the_other_on_a_retry_after_the_lease(string store)
    {
        var clock = new JumpingClock();
        var claims = await _stores.OpenAsync(store, clock);
        await using var slack = await SlackEmulator.StartAsync();
        // Its claim is neither completed nor released (until the test stops it).
        await using var first = await BotHarness.StartAsync(Hanging(), httpMode: true, time: clock, shared: slack, services: s => s.AddSingleton(_ => claims()));
        await using var second = await BotHarness.StartAsync(seed.Engine, httpMode: true, time: clock, shared: slack, services: s => s.AddSingleton(_ => claims()));
        var mention = Payloads.Mention(slack, Question, out var ts);

        await first.DeliverAsync(mention);
        await slack.WaitUntilAsync(() => first.Engine.Asks == 1, "the first process's claim");
        // Within the lease the first process may still be answering: the retry is left to it.
        await RetryAsync(second, mention, 1, clock);
        await second.SettleAsync();
        Assert.Equal(0, Asked(second));
        Assert.True(second.Logs.Contains("already claimed"));

        clock.Jump(new EventClaimsOptions().Lease);
        await RetryAsync(second, mention, 2, clock);
        await second.SettleAsync(ts);

        var reply = Assert.Single(first.Answers(ts));
        Assert.Contains("must decline your kind invitation", reply.AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(second));
        second.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_question_acknowledged_by_a_process_that_then_stalled_or_died_is_answered_by_the_other_after_the_lease_with_no_retry(string store)
    {
        var clock = new JumpingClock();
        var claims = await _stores.OpenAsync(store, clock);
        await using var slack = await SlackEmulator.StartAsync();
        // Frozen, as a process that is: it looks for abandoned questions at start, and never again.
        await using var first = await BotHarness.StartAsync(Hanging(), s => s["FrontEnds:Claims:RecoverEvery"] = "1.00:00:00", time: clock, shared: slack, services: s => s.AddSingleton(_ => claims()));
        await using var second = await BotHarness.StartAsync(seed.Engine, LookOften, time: clock, shared: slack, services: s => s.AddSingleton(_ => claims()));
        var mention = Payloads.Mention(slack, Question, out var ts);

        // Socket Mode: acknowledged at once, so Slack never delivers it again.
        await slack.WaitForAckAsync(await slack.SendEventAsync(mention, on: first.Connection));
        await slack.WaitUntilAsync(() => first.Engine.Asks == 1, "the first process's claim");
        clock.Jump(new EventClaimsOptions().Lease);
        await slack.WaitUntilAsync(() => first.Answers(ts).Count == 1, "the other process's answer");

        Assert.Contains("must decline your kind invitation", first.Answers(ts)[0].AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(second));
        Assert.Contains("whose claimant stopped before replying (claimant 2 of at most 3)", second.Logs.All, StringComparison.Ordinal);
        second.AssertNoProblems();
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_question_its_process_was_answering_when_it_stopped_is_answered_by_the_other_at_once(string store)
    {
        var claims = await _stores.OpenAsync(store);
        await using var slack = await SlackEmulator.StartAsync();
        await using var first = await BotHarness.StartAsync(Hanging(), LookOften, shared: slack, services: s => s.AddSingleton(_ => claims()));
        await using var second = await BotHarness.StartAsync(seed.Engine, LookOften, shared: slack, services: s => s.AddSingleton(_ => claims()));
        var mention = Payloads.Mention(slack, Question, out var ts);

        await slack.WaitForAckAsync(await slack.SendEventAsync(mention, on: first.Connection));
        await slack.WaitUntilAsync(() => first.Engine.Asks == 1, "the first process's claim");
        await first.Host.StopAsync();
        await slack.WaitUntilAsync(() => second.Answers(ts).Count == 1, "the other process's answer");

        Assert.Contains("must decline your kind invitation", second.Answers(ts)[0].AllText, StringComparison.Ordinal);
        Assert.Equal(1, Asked(second));
        second.AssertNoProblems();
    }

    [Fact]
    public async Task With_the_claim_store_unreachable_every_question_is_still_answered_and_one_warning_says_so()
    {
        var nothingListens = postgres.UnreachableConnectionString();
        await using var bot = await BotHarness.StartAsync(seed.Engine, services: s => s.AddSingleton<IEventClaims>(_ => new PostgresEventClaims(nothingListens)));
        var first = Payloads.Mention(bot.Slack, Question, out var ts);
        var next = Payloads.Mention(bot.Slack, "who declined the meeting?", out var nextTs);

        await bot.DeliverAsync(first);
        await bot.DeliverAsync(next);
        await bot.SettleAsync(ts, nextTs);

        Assert.Single(bot.Answers(ts));
        Assert.Single(bot.Answers(nextTs));
        var warning = Assert.Single(bot.Logs.Entries, e => e.Message.Contains("Event claims unreachable", StringComparison.Ordinal));
        Assert.Contains("Storage:ConnectionString: cannot reach PostgreSQL at 127.0.0.1", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, bot.Logs.All, StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    public void Dispose() => _stores.Dispose();

    private Task<BotHarness> StartAsync(SlackEmulator slack, Func<IEventClaims> claims, bool httpMode = false) =>
        BotHarness.StartAsync(seed.Engine, httpMode: httpMode, shared: slack, services: s => s.AddSingleton(_ => claims()));

    private static async Task RetryAsync(BotHarness bot, System.Text.Json.Nodes.JsonObject callback, int retryNum, TimeProvider clock)
    {
        using var response = await bot.SignedPostAsync(SlackHttpEndpoint.EventsPath, callback.ToJsonString(), "application/json", clock.GetUtcNow(), retryNum: retryNum);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static void LookOften(Dictionary<string, string?> settings) => settings["FrontEnds:Claims:RecoverEvery"] = "00:00:00.100";

    /// <summary>An engine that never answers, as in a process that stalled or was killed mid-answer.</summary>
    private static INewsBotEngine Hanging()
    {
        var hanging = Substitute.For<INewsBotEngine>();
        hanging.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            await Task.Delay(Timeout.Infinite, call.Arg<CancellationToken>());
            return (Answer)null!;
        });
        return hanging;
    }

    private static int Asked(params BotHarness[] bots) => bots.Sum(b => b.Engine.Questions.Count(q => q.Text == Question));
}
