using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using NewsBot.Slack.HttpMode;
using NewsBot.Slack.Tests.Emulator;

namespace NewsBot.Slack.Tests;

[Collection(SeedEngineCollection.Name)]
public sealed class HttpModeTests(SeedEngine seed)
{
    [Fact]
    public async Task Url_verification_is_answered_with_its_challenge()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, httpMode: true);
        const string challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";
        var body = new JsonObject { ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl", ["challenge"] = challenge, ["type"] = "url_verification" }.ToJsonString();

        using var response = await bot.SignedPostAsync(SlackHttpEndpoint.EventsPath, body, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(challenge, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_wrong_and_stale_signatures_get_401_and_no_answer()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, httpMode: true);
        var attempts = new (string What, DateTimeOffset? At, string? Secret)[]
        {
            ("missing", null, null),
            ("wrong secret", null, "0000000000000000000000000000000a"),
            ("six minutes old", DateTimeOffset.UtcNow.AddMinutes(-6), SlackEmulator.SigningSecret),
            ("six minutes ahead", DateTimeOffset.UtcNow.AddMinutes(6), SlackEmulator.SigningSecret),
        };
        var threads = new List<string>();
        foreach (var (what, at, secret) in attempts)
        {
            var callback = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts);
            threads.Add(ts);
            using var response = await bot.SignedPostAsync(SlackHttpEndpoint.EventsPath, callback.ToJsonString(), "application/json", at, secret);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, what);
        }

        // A body changed after signing (signature of another body).
        var tampered = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var tamperedTs);
        threads.Add(tamperedTs);
        var endpoint = await bot.EndpointAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, SlackHttpEndpoint.EventsPath)))
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Content = new StringContent(tampered.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", BotHarness.Sign(SlackEmulator.SigningSecret, timestamp, "{}"));
            using var http = new HttpClient();
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var command = Payloads.SlashCommand(bot.Slack, "/ask", "why did the PMO decline the meeting?");
        using (var response = await bot.SignedPostAsync(SlackHttpEndpoint.CommandsPath, Form(command), "application/x-www-form-urlencoded", secret: null))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        await bot.SettleAsync();
        Assert.Equal(1, bot.Engine.Asks);
        Assert.All(threads, ts => Assert.Empty(bot.Answers(ts)));
        Assert.Empty(bot.Slack.Responses);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_front_end_that_crashed_is_started_again_and_answers_from_the_same_inbox()
    {
        // The endpoint's port is taken, so the front end crashes at start (Kestrel cannot bind) until it is freed.
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        await using var bot = await BotHarness.StartAsync(
            seed.Engine,
            settings =>
            {
                settings["Slack:HttpEndpoint:ListenUrl"] = $"http://127.0.0.1:{port}";
                settings["FrontEnds:RestartDelayMin"] = "00:00:00.050";
                settings["FrontEnds:RestartDelayMax"] = "00:00:00.200";
            },
            httpMode: true,
            waitUntilReady: false);
        await bot.Slack.WaitUntilAsync(() => bot.Logs.Contains("The Slack front end crashed ("), "the crash");
        occupied.Stop();
        await bot.EndpointAsync();

        var mention = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts);
        await bot.DeliverAsync(mention);
        await bot.SettleAsync(ts);

        Assert.Contains("must decline your kind invitation", Assert.Single(bot.Answers(ts)).AllText, StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_retried_event_is_acknowledged_but_not_answered_twice()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, httpMode: true);
        var mention = Payloads.Mention(bot.Slack, "why did the PMO decline the meeting?", out var ts);

        await bot.DeliverAsync(mention);
        using (var retry = await bot.SignedPostAsync(SlackHttpEndpoint.EventsPath, mention.ToJsonString(), "application/json", retryNum: 1))
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await bot.SettleAsync(ts);

        var reply = Assert.Single(bot.Answers(ts));
        Assert.Contains("must decline your kind invitation", reply.AllText, StringComparison.Ordinal);
        Assert.Equal(2, bot.Engine.Asks);
        bot.AssertNoProblems();
    }

    [Fact]
    public async Task A_slash_command_is_acknowledged_at_once_and_completed_through_response_url()
    {
        await using var bot = await BotHarness.StartAsync(seed.Engine, httpMode: true);
        var command = Payloads.SlashCommand(bot.Slack, "/ask", "why did the PMO decline the meeting?");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var response = await bot.SignedPostAsync(SlackHttpEndpoint.CommandsPath, Form(command), "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3));
        }

        await bot.Slack.WaitUntilAsync(() => bot.Slack.Responses.Count == 1, "the result");
        var result = bot.Slack.Responses.Single();
        Assert.Equal("in_channel", result.ResponseType);
        Assert.Contains("must decline your kind invitation", result.AllText, StringComparison.Ordinal);
        bot.AssertNoProblems();
    }

    /// <summary>A slash command as Slack POSTs it over HTTP: the same fields, form-encoded.</summary>
    private static string Form(JsonObject command) =>
        string.Join("&", command.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString((string?)p.Value ?? "")));
}
