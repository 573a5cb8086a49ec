using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NewsBot.Testing.Loopback;

namespace NewsBot.Slack.Tests.Emulator;

/// <summary>
/// The parts of Slack NewsBot talks to, on 127.0.0.1, written from Slack's public docs: the Web API
/// methods it calls (POST /api/{method}, bearer tokens, ok/error JSON, 429 + Retry-After), Socket Mode
/// (apps.connections.open hands out a ws:// URL; hello, envelopes that must be acknowledged within 3 s,
/// disconnect messages) and response_url. Everything the bot does against the docs is collected in
/// <see cref="Problems"/>.
/// </summary>
public sealed class SlackEmulator : LoopbackEmulator<SocketConnection, Fault>
{
    public const string BotToken = "xoxb-1111111111-2222222222222-emulatedBotToken0000";
    public const string AppToken = "xapp-1-A0EMULATED-3333333333-emulatedappleveltoken0000";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string TeamId = "T0NEWSROOM";
    public const string AppId = "A0NEWSBOT1";
    public const string BotUserId = "U0NEWSBOT1";
    public const string BotId = "B0NEWSBOT1";
    public const string UserId = "U0READER01";
    public const string AdminUserId = "U0ADMIN001";
    public const string ChannelId = "C0NEWSDESK";
    public const string DmChannelId = "D0READERDM";

    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, long> _envelopeSentAt = new();
    private readonly List<PostedMessage> _posted = [];
    private readonly List<ResponsePost> _responses = [];
    private readonly List<PostedMessage> _ephemeral = [];
    private readonly ConcurrentDictionary<string, long> _responseUrlIssued = new();
    private long _nextTs = 1_764_400_000_000_100;
    private int _nextEnvelope;
    private int _nextResponseUrl;

    private SlackEmulator()
        : base(defaultWaitSeconds: 20)
    {
    }

    /// <summary>What NewsBot is configured with as Slack:ApiBaseUrl (every method is {base}{method}).</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "/api/");

    // Behaviour switches.

    /// <summary>When set, methods called with the bot token answer ok:false with this error (e.g. invalid_auth).</summary>
    public string? BotTokenError { get; set; }

    /// <summary>When set, apps.connections.open answers ok:false with this error.</summary>
    public string? AppTokenError { get; set; }

    /// <summary>The clock response_urls age by; a test shares one with the bot to let their lifetime pass at once.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>How long after the command its response_url accepts messages (Slack: 30 minutes).</summary>
    public TimeSpan ResponseUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The scopes the bot token was granted (the manifest's), reported in X-OAuth-Scopes.</summary>
    public List<string> BotScopes { get; } = ["app_mentions:read", "chat:write", "commands", "im:history", "users:read"];

    /// <summary>Users whom users.info reports as workspace admins.</summary>
    public HashSet<string> WorkspaceAdmins { get; } = [AdminUserId];

    // What was seen.
    public ConcurrentQueue<ApiCall> Calls { get; } = new();

    public SocketConnection? Current => Connections.LastOrDefault(c => !c.Ended.Task.IsCompleted);

    public ConcurrentDictionary<string, TimeSpan> AckDelays { get; } = new();

    public List<PostedMessage> Posted
    {
        get
        {
            lock (_gate)
                return [.. _posted];
        }
    }

    /// <summary>Messages chat.postEphemeral accepted (each shown to its "user" only).</summary>
    public List<PostedMessage> Ephemeral
    {
        get
        {
            lock (_gate)
                return [.. _ephemeral];
        }
    }

    public List<ResponsePost> Responses
    {
        get
        {
            lock (_gate)
                return [.. _responses];
        }
    }

    public static Task<SlackEmulator> StartAsync() => ListenAsync(new SlackEmulator());

    protected override void MapRoutes(WebApplication app)
    {
        app.Map("/link", SocketAsync);
        app.MapPost("/api/{method}", WebApiAsync);
        app.MapPost("/commands/{id}", ResponseUrlAsync);
    }

    public string NextTs()
    {
        var value = Interlocked.Increment(ref _nextTs);
        return (value / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (value % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
    }

    public Uri NewResponseUrl()
    {
        var id = Interlocked.Increment(ref _nextResponseUrl).ToString(CultureInfo.InvariantCulture);
        _responseUrlIssued[id] = Clock.GetTimestamp();
        return new(BaseUrl, "/commands/" + id);
    }

    // ---------------------------------------------------------------- Socket Mode

    /// <summary>Sends an envelope on the newest open connection (or <paramref name="on"/>) and returns its envelope_id.</summary>
    public async Task<string> SendEnvelopeAsync(string type, JsonObject payload, int retryAttempt = 0, string? envelopeId = null, SocketConnection? on = null)
    {
        var connection = on ?? Current ?? throw new InvalidOperationException("NewsBot has no Socket Mode connection open.");
        envelopeId ??= "env-" + Interlocked.Increment(ref _nextEnvelope).ToString(CultureInfo.InvariantCulture);
        var envelope = new JsonObject
        {
            ["envelope_id"] = envelopeId,
            ["payload"] = payload.DeepClone(),
            ["type"] = type,
            ["accepts_response_payload"] = type == "slash_commands",
        };
        if (type == "events_api")
        {
            envelope["retry_attempt"] = retryAttempt;
            envelope["retry_reason"] = retryAttempt == 0 ? "" : "timeout";
        }

        _envelopeSentAt[envelopeId] = Stopwatch.GetTimestamp();
        await connection.SendAsync(envelope.ToJsonString());
        return envelopeId;
    }

    public Task<string> SendEventAsync(JsonObject callback, int retryAttempt = 0, string? envelopeId = null, SocketConnection? on = null) =>
        SendEnvelopeAsync("events_api", callback, retryAttempt, envelopeId, on);

    public Task WaitForAckAsync(string envelopeId) => WaitUntilAsync(() => AckDelays.ContainsKey(envelopeId), "acknowledgement of " + envelopeId);

    public async Task SendDisconnectAsync(string reason)
    {
        var connection = Current ?? throw new InvalidOperationException("no connection");
        await connection.SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "applink-emulated" } }.ToJsonString());
    }

    private async Task SocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        await AcceptAsync(
            context,
            "Socket Mode",
            socket => new SocketConnection(socket, context.Request.Query["ticket"].ToString()),
            connection => connection.SendAsync(new JsonObject
            {
                ["type"] = "hello",
                ["num_connections"] = Connections.Count(c => !c.Ended.Task.IsCompleted),
                ["debug_info"] = new JsonObject { ["host"] = "applink-emulated", ["approximate_connection_time"] = 18060 },
                ["connection_info"] = new JsonObject { ["app_id"] = AppId },
            }.ToJsonString()),
            async (connection, text) =>
            {
                OnFrame(connection.Record(text), text);
                if (connection.HalfOpen)
                {
                    // Not reading answers no pings: to the app the connection looks open but is dead, as when a NAT
                    // drops it silently. Bounded, so a test that fails does not leave the request behind for ever.
                    await Task.Delay(TimeSpan.FromSeconds(30));
                }

                return true;
            });
    }

    private void OnFrame(JsonObject frame, string text)
    {
        if ((string?)frame["envelope_id"] is not { } id)
        {
            Problems.Enqueue($"unexpected Socket Mode frame from the app: {text}");
            return;
        }

        if (!_envelopeSentAt.TryGetValue(id, out var sentAt))
        {
            Problems.Enqueue($"acknowledged unknown envelope {id}");
            return;
        }

        var delay = Stopwatch.GetElapsedTime(sentAt);
        if (!AckDelays.TryAdd(id, delay))
            Problems.Enqueue($"envelope {id} acknowledged twice");
        if (delay > AckDeadline)
            Problems.Enqueue($"envelope {id} acknowledged after {delay.TotalSeconds:0.0} s (limit 3 s)");
    }

    // ---------------------------------------------------------------- Web API

    private async Task WebApiAsync(HttpContext context)
    {
        var method = (string)context.GetRouteValue("method")!;
        // When the call arrived: taken once the response is written, a 429's time could fall after the bot had begun to
        // wait out its Retry-After, and the wait would measure short.
        var arrived = Stopwatch.GetTimestamp();
        var (body, status) = await ServeRequestAsync(context, method, body => RouteAsync(context, method, body), 500);
        Calls.Enqueue(new ApiCall(method, context.Request.ContentType, body, status, arrived));
    }

    private async Task<int> RouteAsync(HttpContext context, string method, string body)
    {
        var now = Stopwatch.GetTimestamp();
        if (RetryAfter.IsBlocked(method, now))
            Problems.Enqueue($"{method} called again before its Retry-After had passed");

        if (Faults.TryTake(method, out var fault, next => next.Channel is null || next.Channel == ChannelOf(body)))
        {
            if (fault.Status == 429)
            {
                RetryAfter.Block(method, now, fault.RetryAfterSeconds);
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteJsonAsync(context, 429, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
                return 429;
            }

            if (fault.Error is { } error)
            {
                await WriteJsonAsync(context, 200, new JsonObject { ["ok"] = false, ["error"] = error });
                return 200;
            }

            context.Response.StatusCode = fault.Status;
            await context.Response.WriteAsync("<html>upstream error</html>");
            return fault.Status;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (method == "apps.connections.open")
        {
            if (authorization != "Bearer " + AppToken)
                return await ErrorAsync(context, authorization.StartsWith("Bearer xoxb-", StringComparison.Ordinal) ? "not_allowed_token_type" : "invalid_auth");
            if (AppTokenError is { } appError)
                return await ErrorAsync(context, appError);
            var url = Server.WebSocketUrl("/link/", $"ticket={Guid.NewGuid():N}&app_id={AppId}");
            await WriteJsonAsync(context, 200, new JsonObject { ["ok"] = true, ["url"] = url.ToString() });
            return 200;
        }

        if (authorization != "Bearer " + BotToken)
            return await ErrorAsync(context, authorization.Length == 0 ? "not_authed" : "invalid_auth");
        if (BotTokenError is { } botError)
            return await ErrorAsync(context, botError);

        switch (method)
        {
            case "auth.test":
                context.Response.Headers["X-OAuth-Scopes"] = string.Join(",", BotScopes);
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["ok"] = true,
                    ["url"] = "https://newsroom.slack.com/",
                    ["team"] = "Newsroom",
                    ["user"] = "newsbot",
                    ["team_id"] = TeamId,
                    ["user_id"] = BotUserId,
                    ["bot_id"] = BotId,
                    ["is_enterprise_install"] = false,
                });
                return 200;
            case "users.info":
                var user = FormValue(context, body, "user");
                if (user is null)
                    return await ErrorAsync(context, "user_not_found");
                var admin = WorkspaceAdmins.Contains(user);
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["ok"] = true,
                    ["user"] = new JsonObject { ["id"] = user, ["team_id"] = TeamId, ["name"] = user.ToLowerInvariant(), ["is_admin"] = admin, ["is_owner"] = false, ["is_primary_owner"] = false, ["is_bot"] = false },
                });
                return 200;
            case "chat.postMessage" or "chat.postEphemeral":
                return await PostMessageAsync(context, method, body);
            default:
                Problems.Enqueue($"unexpected Web API method {method}");
                return await ErrorAsync(context, "unknown_method");
        }
    }

    /// <summary>chat.postMessage, or chat.postEphemeral (<paramref name="method"/>), which also names the one user who sees it.</summary>
    private async Task<int> PostMessageAsync(HttpContext context, string method, string body)
    {
        var ephemeral = method == "chat.postEphemeral";
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            Problems.Enqueue($"{method} with Content-Type {context.Request.ContentType} (blocks need JSON)");
        var json = JsonNode.Parse(body)!.AsObject();
        var channel = (string?)json["channel"];
        if (channel is null)
            return await ErrorAsync(context, "channel_not_found");
        if (ephemeral && json["user"] is null)
            return await ErrorAsync(context, "user_not_in_channel");
        foreach (var problem in MessageRules.Check(json))
            Problems.Enqueue($"{method}: {problem}");
        var ts = NextTs();
        lock (_gate)
            (ephemeral ? _ephemeral : _posted).Add(new PostedMessage(channel, (string?)json["thread_ts"], ts, json, MessageRules.Pings(json)));
        await WriteJsonAsync(context, 200, ephemeral
            ? new JsonObject { ["ok"] = true, ["message_ts"] = ts }
            : new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["message"] = new JsonObject { ["text"] = json["text"]?.DeepClone(), ["bot_id"] = BotId } });
        return 200;
    }

    private async Task ResponseUrlAsync(HttpContext context)
    {
        var id = (string)context.GetRouteValue("id")!;
        var body = await context.Request.ReadBodyAsync();
        if (_responseUrlIssued.TryGetValue(id, out var issued) && Clock.GetElapsedTime(issued) >= ResponseUrlLifetime)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("expired_url");
            return;
        }

        if (context.Request.Headers.Authorization.Count > 0)
            Problems.Enqueue("response_url called with an Authorization header (the URL is the credential)");
        var json = JsonNode.Parse(body)!.AsObject();
        foreach (var problem in MessageRules.Check(json))
            Problems.Enqueue("response_url: " + problem);
        if ((string?)json["response_type"] is not ("ephemeral" or "in_channel"))
            Problems.Enqueue($"response_url without response_type ephemeral/in_channel: {json["response_type"]}");
        lock (_gate)
        {
            if (_responses.Count(r => r.Id == id) >= 5)
                Problems.Enqueue($"response_url {id} used more than 5 times");
            _responses.Add(new ResponsePost(id, json, Stopwatch.GetTimestamp(), MessageRules.Pings(json)));
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["ok"] = true });
    }

    private static string? ChannelOf(string body)
    {
        try
        {
            return (string?)JsonNode.Parse(body)?["channel"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? FormValue(HttpContext context, string body, string name)
    {
        if (context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).TryGetValue(name, out var v) ? v.ToString() : null;
        return (string?)JsonNode.Parse(body)?[name];
    }

    private static async Task<int> ErrorAsync(HttpContext context, string error)
    {
        await WriteJsonAsync(context, 200, new JsonObject { ["ok"] = false, ["error"] = error });
        return 200;
    }

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode body) =>
        context.Response.WriteJsonAsync(status, body, "application/json; charset=utf-8");
}

/// <summary>One Socket Mode connection: what the app sent and how it ended.</summary>
public sealed class SocketConnection(WebSocket socket, string ticket) : ServerWebSocket(socket)
{
    public string Ticket { get; } = ticket;

    /// <summary>After the app's next frame (an acknowledgement) Slack's side stops reading: no pong, no close.</summary>
    public bool HalfOpen { get; set; }
}

/// <summary>A scripted answer for the next call of one Web API method.</summary>
/// <param name="Error">With status 200: answer ok:false with this error code.</param>
/// <param name="Channel">Only a call for this channel takes the fault (others, such as a concurrent answer elsewhere, pass).</param>
public sealed record Fault(int Status, int RetryAfterSeconds = 0, string? Error = null, string? Channel = null)
{
    public static Fault RateLimited(int retryAfterSeconds, string? channel = SlackEmulator.ChannelId) => new(429, retryAfterSeconds, Channel: channel);

    public static Fault ServerError(int status = 503, string? channel = SlackEmulator.ChannelId) => new(status, Channel: channel);

    public static Fault NotOk(string error, string? channel = SlackEmulator.ChannelId) => new(200, Error: error, Channel: channel);
}

public sealed record ApiCall(string Method, string? ContentType, string Body, int Status, long At);

/// <summary>A message chat.postMessage accepted.</summary>
public sealed record PostedMessage(string Channel, string? ThreadTs, string Ts, JsonObject Body, IReadOnlyList<string> Pings)
{
    public string Text => (string?)Body["text"] ?? "";

    /// <summary>The fallback text and every text in the blocks, for "does the reply contain X" checks.</summary>
    public string AllText => MessageRules.AllText(Body);
}

/// <summary>A message posted to a slash command's response_url.</summary>
public sealed record ResponsePost(string Id, JsonObject Body, long At, IReadOnlyList<string> Pings)
{
    public string ResponseType => (string?)Body["response_type"] ?? "";

    public string AllText => MessageRules.AllText(Body);
}
