using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Chat;
using NewsBot.Slack.HttpMode;
using NewsBot.Testing.Hosting;
using NewsBot.Testing.Logging;

namespace NewsBot.Slack.Tests.Emulator;

/// <summary>
/// The Slack front end in a real host (AddSlackFrontEnd, options validation, hosted service) pointed at a
/// <see cref="SlackEmulator"/>, with the real engine behind a counter and captured logs.
/// </summary>
public sealed class BotHarness : FrontEndHarness<SlackEmulator>
{
    private int _sentinels;

    private BotHarness(SlackEmulator slack, IHost host, CountingEngine engine, TestLogs logs, bool httpMode, bool ownsEmulator)
        : base(slack, host, logs, ownsEmulator)
    {
        HttpMode = httpMode;
        Slack = slack;
        Engine = engine;
    }

    public SlackEmulator Slack { get; }

    public bool HttpMode { get; }

    public CountingEngine Engine { get; }

    /// <summary>With a shared emulator: the Socket Mode connection this bot opened first, where <see cref="DeliverAsync"/> sends.</summary>
    public SocketConnection? Connection { get; private set; }

    /// <summary>
    /// Starts the bot. Socket Mode by default (waits for the first hello); with <paramref name="httpMode"/>
    /// HTTP mode on a free loopback port (waits until it listens). With <paramref name="shared"/> the bot is one of
    /// several processes on one Slack (the test disposes it), and <paramref name="services"/> adds to its registrations.
    /// </summary>
    public static async Task<BotHarness> StartAsync(
        INewsBotEngine engine,
        Action<Dictionary<string, string?>>? configure = null,
        Action<SlackEmulator>? setUp = null,
        bool httpMode = false,
        bool waitUntilReady = true,
        TimeProvider? time = null,
        SlackEmulator? shared = null,
        Action<IServiceCollection>? services = null)
    {
        var slack = shared ?? await SlackEmulator.StartAsync();
        setUp?.Invoke(slack);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackEmulator.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:SocketMode:ReconnectDelayMin"] = "00:00:00.020",
            ["Slack:SocketMode:ReconnectDelayMax"] = "00:00:00.200",
            ["Slack:WebApi:RetryBaseDelay"] = "00:00:00.020",
            ["Slack:WebApi:RequestTimeout"] = "00:00:10",
        };
        if (httpMode)
        {
            settings["Slack:SigningSecret"] = SlackEmulator.SigningSecret;
            settings["Slack:HttpEndpoint:Enabled"] = "true";
            settings["Slack:HttpEndpoint:ListenUrl"] = "http://127.0.0.1:0";
        }
        else
        {
            settings["Slack:AppToken"] = SlackEmulator.AppToken;
        }

        configure?.Invoke(settings);
        var counting = new CountingEngine(engine);
        var (host, logs) = BuildHost(settings, counting, (registrations, configuration) =>
        {
            if (time is not null)
                registrations.AddSingleton(time);
            services?.Invoke(registrations);
            registrations.AddSlackFrontEnd(configuration);
        });
        var harness = new BotHarness(slack, host, counting, logs, httpMode, ownsEmulator: shared is null);
        await host.StartAsync();
        if (waitUntilReady && !httpMode)
        {
            await slack.WaitUntilAsync(() => harness.Logs.Contains("Connected to Slack in Socket Mode"), "the Socket Mode hello");
            // Bots start one after another, so the newest connection is this one's.
            harness.Connection = shared is null ? null : slack.Current;
        }

        if (waitUntilReady && httpMode)
            await harness.EndpointAsync();
        return harness;
    }

    /// <summary>The HTTP mode endpoint's base address.</summary>
    public Task<Uri> EndpointAsync() => Host.Services.GetRequiredService<SlackHttpEndpoint>().Address.WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>
    /// Sends a DM question from a user who asks nothing else and waits for its answer. Events are triaged in
    /// delivery order, so once this answer is posted every event sent before it has been accepted or dropped,
    /// and an accepted question has reached the engine: counts can be checked without sleeping. Questions are answered
    /// several at once, so an earlier question's answer may still be on its way: first wait for the threads in
    /// <paramref name="answeredThreads"/> to be answered.
    /// </summary>
    public async Task SettleAsync(params string[] answeredThreads)
    {
        foreach (var thread in answeredThreads)
            await Slack.WaitUntilAsync(() => Slack.Posted.Any(p => p.ThreadTs == thread), $"the answer in thread {thread}");
        var user = "U0SENTINEL" + Interlocked.Increment(ref _sentinels);
        var asksBefore = Engine.Questions.Count(q => q.ConversationId?.EndsWith(":" + user, StringComparison.Ordinal) == true);
        var callback = Payloads.DirectMessage(Slack, "Who wrote the article?", out var ts, user);
        await DeliverAsync(callback);
        await Slack.WaitUntilAsync(() => Slack.Posted.Any(p => p.ThreadTs == ts), "the sentinel answer");
        Assert.Equal(0, asksBefore);
    }

    /// <summary>Delivers an event the way the bot receives them: an envelope in Socket Mode, a signed POST in HTTP mode.</summary>
    public async Task DeliverAsync(System.Text.Json.Nodes.JsonObject callback)
    {
        if (!HttpMode)
        {
            await Slack.SendEventAsync(callback, on: Connection);
            return;
        }

        using var response = await SignedPostAsync(SlackHttpEndpoint.EventsPath, callback.ToJsonString(), "application/json");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>POSTs to the HTTP mode endpoint, signed as Slack signs (or not, or with another secret or time).</summary>
    public async Task<HttpResponseMessage> SignedPostAsync(string path, string body, string contentType, DateTimeOffset? at = null, string? secret = SlackEmulator.SigningSecret, int? retryNum = null)
    {
        var endpoint = await EndpointAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        if (secret is not null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", Sign(secret, timestamp, body));
        }

        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Slack's v0 scheme, written here independently of the bot's verifier.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    private static readonly HttpClient Http = new();

    /// <summary>Posted answers other than the sentinels'.</summary>
    public List<PostedMessage> Answers(string threadTs) => [.. Slack.Posted.Where(p => p.ThreadTs == threadTs)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var secret in new[] { SlackEmulator.BotToken, SlackEmulator.AppToken, SlackEmulator.SigningSecret })
            Assert.DoesNotContain(secret, Logs.All, StringComparison.Ordinal);
    }

    /// <summary>Fails with everything the emulator objected to.</summary>
    public void AssertNoProblems() => Assert.True(Slack.Problems.IsEmpty, string.Join("\n", Slack.Problems));
}
