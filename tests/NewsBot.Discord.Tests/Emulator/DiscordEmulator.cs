using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NewsBot.Testing.Loopback;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>
/// The parts of Discord NewsBot talks to, on 127.0.0.1: a WebSocket gateway (/gateway for fresh
/// sessions, /resume for resume_gateway_url) and the REST v10 routes. Payloads come from the shared
/// fixtures; every JSON body is checked against openapi.json and Discord's documented limits, and
/// rate-limit behaviour (buckets, 429 retry_after, global limit) is enforced. Anything the bot does
/// wrong is collected in <see cref="Problems"/>.
/// </summary>
public sealed partial class DiscordEmulator : LoopbackEmulator<EmulatedConnection, Fault>
{
    public const string Token = "MTE4MTIzOTQxMjc4NTk1ODkzMg.emulated.bot-token";
    public const string BotUserId = "1181239412785958932";
    public const string ApplicationId = "1181239400005958930";
    public const string GuildId = "290926798626357999";
    public const string ChannelId = "645027906669510667";
    public const string UserId = "53908232506183680";
    public const string MessageContentIntent = "32768";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Count, long WindowStart)> _buckets = [];
    private readonly Dictionary<string, CreatedMessage> _byNonce = [];
    private readonly ConcurrentDictionary<string, string> _authors = new();
    private readonly ConcurrentDictionary<string, long> _interactionIssued = new();
    private readonly List<(long Seq, string Frame)> _sessionLog = [];
    private long _globalBlockedUntil;
    private long _globalKnownFrom;

    // A request the bot sent before the global 429 reached it is not a violation: under load it can arrive this late.
    private static readonly long InFlightGrace = Stopwatch.Frequency / 10;
    private long _sessionStartsResetAt;
    private int _heldMessages;
    private long _sequence;
    private long _nextId = 1533090000000000000;

    private DiscordEmulator()
        : base(defaultWaitSeconds: 10)
    {
    }

    public Uri ApiBaseUrl => new(BaseUrl, "/api/v10");

    // Behaviour switches.
    public int HeartbeatIntervalMs { get; set; } = 45_000;

    public bool AckHeartbeats { get; set; } = true;

    public bool AllowMessageContent { get; set; } = true;

    /// <summary>The clock interaction tokens age by; a test shares one with the bot to let their lifetime pass at once.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>How long after the interaction its token authorises webhook calls (Discord: 15 minutes).</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public int SessionStartRemaining { get; set; } = 1000;

    public long SessionStartResetAfterMs { get; set; } = 14_400_000;

    /// <summary>On resume, also replay this many events the bot already received (Discord may deliver twice).</summary>
    public int ReplayOverlap { get; set; }

    public int MessageBucketLimit { get; set; } = 5;

    public TimeSpan MessageBucketWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>While set, a message the bot creates waits for it before it is created (an answer on its way).</summary>
    public Task? HoldMessages { get; set; }

    // What was seen.
    public ConcurrentQueue<RestCall> Calls { get; } = new();

    /// <summary>Messages the bot began to create while <see cref="HoldMessages"/> held them.</summary>
    public int HeldMessages => Volatile.Read(ref _heldMessages);

    public List<CreatedMessage> Messages
    {
        get
        {
            lock (_gate)
                return [.. _created];
        }
    }

    private readonly List<CreatedMessage> _created = [];

    public ConcurrentQueue<(string InteractionId, JsonObject Body)> Callbacks { get; } = new();

    public ConcurrentQueue<(string Token, JsonObject Body)> OriginalEdits { get; } = new();

    public ConcurrentQueue<(string Token, JsonObject Body)> Followups { get; } = new();

    public ConcurrentQueue<string> Typing { get; } = new();

    public ConcurrentQueue<(string Route, JsonArray Body)> CommandRegistrations { get; } = new();

    public string? SessionId { get; private set; }

    private int _identifies;

    public int Identifies => Volatile.Read(ref _identifies);

    public EmulatedConnection? Current => Connections.LastOrDefault();

    public static Task<DiscordEmulator> StartAsync() => ListenAsync(new DiscordEmulator());

    protected override void MapRoutes(WebApplication app)
    {
        app.Map("/gateway", GatewayAsync);
        app.Map("/resume", GatewayAsync);
        app.Map("/api/v10/{**path}", RestAsync);
    }

    // ---------------------------------------------------------------- gateway

    /// <summary>
    /// Sends an event to the connected bot (or only logs it, as if it happened while the bot was away). Like Discord,
    /// it goes to every session on the shard: with two bots identified with the token (two processes), both get it.
    /// </summary>
    public async Task DispatchAsync(string type, JsonNode data, bool deliver = true)
    {
        if (type == "MESSAGE_CREATE")
            _authors[(string)data["id"]!] = (string)data["author"]!["id"]!;
        if (type == "INTERACTION_CREATE" && (string?)data["token"] is { } token)
            _interactionIssued[token] = Clock.GetTimestamp();
        var frame = Sequenced(type, data);
        if (!deliver)
            return;
        foreach (var connection in Sessions())
            await connection.SendAsync(frame);
    }

    /// <summary>
    /// The latest connection of every session still connected, and <see cref="Current"/> in any case: one bot has one
    /// session (its earlier connections ended or belong to a session it gave up), two bots identified have two.
    /// </summary>
    private List<EmulatedConnection> Sessions()
    {
        var latest = new Dictionary<string, EmulatedConnection>();
        foreach (var connection in Connections)
        {
            if (connection.SessionId is { } session)
                latest[session] = connection;
        }

        var current = Current;
        var sessions = latest.Values.Where(c => c != current && c.Ready && !c.Ended.Task.IsCompleted && c.SessionId != current?.SessionId).ToList();
        if (current is not null)
            sessions.Add(current);
        return sessions;
    }

    private string Sequenced(string type, JsonNode? data)
    {
        lock (_gate)
        {
            var seq = ++_sequence;
            var frame = new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data?.DeepClone() }.ToJsonString();
            _sessionLog.Add((seq, frame));
            return frame;
        }
    }

    private async Task GatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || context.Request.Query["v"] != "10" || context.Request.Query["encoding"] != "json")
        {
            Problems.Enqueue($"gateway connection without ?v=10&encoding=json: {context.Request.QueryString}");
            context.Response.StatusCode = 400;
            return;
        }

        var hello = new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } }.ToJsonString();
        await AcceptAsync(
            context,
            "the gateway",
            socket => new EmulatedConnection(socket, context.Request.Path),
            connection => connection.SendAsync(hello),
            async (connection, text) =>
            {
                if (Encoding.UTF8.GetByteCount(text) > 4096)
                {
                    Problems.Enqueue("gateway frame over 4096 bytes");
                    await connection.CloseAsync(4002);
                    return false;
                }

                await OnFrameAsync(connection, connection.Record(text));
                return true;
            });
    }

    private async Task OnFrameAsync(EmulatedConnection connection, JsonObject frame)
    {
        switch ((int)frame["op"]!)
        {
            case 1:
                if (AckHeartbeats)
                    await connection.SendAsync("""{"op":11}""");
                break;
            case 2:
                await IdentifyAsync(connection, frame["d"]!.AsObject());
                break;
            case 6:
                await ResumeAsync(connection, frame["d"]!.AsObject());
                break;
            default:
                Problems.Enqueue($"unexpected gateway op {frame["op"]}");
                break;
        }
    }

    private async Task IdentifyAsync(EmulatedConnection connection, JsonObject d)
    {
        Interlocked.Increment(ref _identifies);
        if (connection.Path != "/gateway")
            Problems.Enqueue("Identify sent on the resume URL");
        if ((string?)d["token"] != Token)
        {
            await connection.CloseAsync(4004);
            return;
        }

        if (SessionStartRemaining <= 0)
        {
            if (Stopwatch.GetTimestamp() < Interlocked.Read(ref _sessionStartsResetAt))
                Problems.Enqueue("Identify sent with no session starts remaining, before reset_after");
            SessionStartRemaining = 1000;
        }

        SessionStartRemaining--;
        connection.IdentifiedAt = Stopwatch.GetTimestamp();
        var intents = (int)d["intents"]!;
        if ((intents & 32768) != 0 && !AllowMessageContent)
        {
            await connection.CloseAsync(4014);
            return;
        }

        lock (_gate)
        {
            SessionId = Guid.NewGuid().ToString("N");
            _sequence = 0;
            _sessionLog.Clear();
        }

        var ready = Fixtures.Load("gateway_ready.json")["d"]!.AsObject();
        ready["session_id"] = SessionId;
        ready["resume_gateway_url"] = Server.WebSocketUrl("/resume").ToString();
        connection.SessionId = SessionId;
        connection.Ready = true;
        // READY belongs to the session it starts, not to the other bots connected.
        await connection.SendAsync(Sequenced("READY", ready));
    }

    private async Task ResumeAsync(EmulatedConnection connection, JsonObject d)
    {
        if (connection.Path != "/resume")
            Problems.Enqueue("Resume sent on the fresh-session URL instead of resume_gateway_url");
        var seq = (long?)d["seq"] ?? 0;
        List<string> replay;
        lock (_gate)
        {
            if ((string?)d["token"] != Token || (string?)d["session_id"] != SessionId)
            {
                replay = [];
                SessionId = null;
            }
            else
            {
                replay = _sessionLog.Where(e => e.Seq > seq - ReplayOverlap).Select(e => e.Frame).ToList();
            }
        }

        if (SessionId is null)
        {
            await connection.SendAsync("""{"op":9,"d":false}""");
            return;
        }

        foreach (var frame in replay)
            await connection.SendAsync(frame);
        connection.SessionId = SessionId;
        connection.Ready = true;
        string resumed;
        lock (_gate)
            resumed = new JsonObject { ["op"] = 0, ["s"] = ++_sequence, ["t"] = "RESUMED", ["d"] = null }.ToJsonString();
        await connection.SendAsync(resumed);
    }

    // ---------------------------------------------------------------- REST

    private async Task RestAsync(HttpContext context)
    {
        var request = context.Request;
        var path = (string)context.GetRouteValue("path")!;
        var (body, (route, status)) = await ServeRequestAsync(context, $"{request.Method} {path}", body => RouteAsync(context, request.Method, path, body), ("error", 500));
        Calls.Enqueue(new RestCall(request.Method, path, route, body.Length == 0 ? null : body, status, Stopwatch.GetTimestamp()));
    }

    private async Task<(string Route, int Status)> RouteAsync(HttpContext context, string method, string path, string body)
    {
        if (!UserAgentRegex().IsMatch(context.Request.Headers.UserAgent.ToString()))
            Problems.Enqueue($"User-Agent '{context.Request.Headers.UserAgent}' is not 'DiscordBot ($url, $version)'");
        if (body.Length > 0 && context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            Problems.Enqueue($"{method} {path} without Content-Type: application/json");

        // Interaction callbacks and webhook follow-ups are outside the global limit.
        if (!path.StartsWith("interactions/", StringComparison.Ordinal) && !path.StartsWith("webhooks/", StringComparison.Ordinal)
            && Stopwatch.GetTimestamp() is var arrived && arrived >= Interlocked.Read(ref _globalKnownFrom) && arrived < Interlocked.Read(ref _globalBlockedUntil))
            Problems.Enqueue($"{method} {path}: request sent during a global rate limit");

        Match m;
        if (method == "GET" && path == "gateway/bot")
        {
            if (!await AuthorizedAsync(context))
                return ("gateway-bot", 401);
            var response = Fixtures.Load("rest_gateway_bot_response_docs.json");
            response["url"] = Server.WebSocketUrl("/gateway").ToString();
            response["shards"] = 1;
            response["session_start_limit"]!["remaining"] = SessionStartRemaining;
            response["session_start_limit"]!["reset_after"] = SessionStartResetAfterMs;
            if (SessionStartRemaining <= 0)
                Interlocked.Exchange(ref _sessionStartsResetAt, Stopwatch.GetTimestamp() + (SessionStartResetAfterMs * Stopwatch.Frequency / 1000));
            await context.Response.WriteJsonAsync(200, response);
            return ("gateway-bot", 200);
        }

        if (method == "PUT" && (m = CommandsRegex().Match(path)).Success)
        {
            if (!await AuthorizedAsync(context))
                return ("commands", 401);
            var commands = JsonNode.Parse(body)!.AsArray();

            // openapi.json types default_member_permissions as an integer while the docs (and the API) use a string.
            var forSchema = commands.DeepClone().AsArray();
            foreach (var command in forSchema)
            {
                if (command!["default_member_permissions"] is JsonValue p && p.TryGetValue<string>(out var s))
                    command["default_member_permissions"] = long.Parse(s, CultureInfo.InvariantCulture);
            }

            var template = m.Groups[2].Success ? "/applications/{application_id}/guilds/{guild_id}/commands" : "/applications/{application_id}/commands";
            Check(template, "put", forSchema);
            CommandRegistrations.Enqueue((template, commands));
            await context.Response.WriteJsonAsync(200, new JsonArray());
            return ("commands", 200);
        }

        if (method == "POST" && (m = ChannelRouteRegex().Match(path)).Success)
        {
            var channel = m.Groups[1].Value;
            if (!await AuthorizedAsync(context))
                return ("messages", 401);
            if (m.Groups[2].Value == "typing")
            {
                Typing.Enqueue(channel);
                context.Response.StatusCode = 204;
                return ("typing", 204);
            }

            return ("messages", await CreateMessageAsync(context, channel, JsonNode.Parse(body)!.AsObject()));
        }

        if (method == "POST" && (m = CallbackRegex().Match(path)).Success)
        {
            var json = JsonNode.Parse(body)!.AsObject();
            Check("/interactions/{interaction_id}/{interaction_token}/callback", "post", json);
            if ((await ApplyFaultAsync(context, "callback", "callback")).Status is { } faulted)
                return ("callback", faulted);
            bool acknowledged;
            // Checked and recorded at once: two sessions' callbacks for one interaction may arrive together.
            lock (_gate)
            {
                acknowledged = Callbacks.Any(c => c.InteractionId == m.Groups[1].Value);
                if (!acknowledged)
                    Callbacks.Enqueue((m.Groups[1].Value, json));
            }

            if (acknowledged)
            {
                await context.Response.WriteJsonAsync(400, new JsonObject { ["code"] = 40060, ["message"] = "Interaction has already been acknowledged." });
                return ("callback", 400);
            }

            context.Response.StatusCode = 204;
            return ("callback", 204);
        }

        if ((m = WebhookRegex().Match(path)).Success)
        {
            var json = JsonNode.Parse(body)!.AsObject();
            var token = m.Groups[2].Value;
            CheckWebhookMessage(json);
            if (_interactionIssued.TryGetValue(token, out var issued) && Clock.GetElapsedTime(issued) >= InteractionTokenLifetime)
            {
                // What Discord answers once an interaction token has expired.
                await context.Response.WriteJsonAsync(401, new JsonObject { ["message"] = "Invalid Webhook Token", ["code"] = 50027 });
                return ("webhook", 401);
            }

            if (method == "PATCH" && m.Groups[3].Value == "/messages/@original")
            {
                Check("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch", json);
                if ((await ApplyFaultAsync(context, "original", "original")).Status is { } faulted)
                    return ("original", faulted);
                OriginalEdits.Enqueue((token, json));
            }
            else if (method == "POST" && m.Groups[3].Value.Length == 0)
            {
                Check("/webhooks/{webhook_id}/{webhook_token}", "post", json);
                if ((await ApplyFaultAsync(context, "followup", "followup")).Status is { } faulted)
                    return ("followup", faulted);
                Followups.Enqueue((token, json));
            }
            else
            {
                context.Response.StatusCode = 404;
                return ("webhook", 404);
            }

            await context.Response.WriteJsonAsync(200, new JsonObject { ["id"] = NextId(), ["content"] = json["content"]?.DeepClone() });
            return (method == "PATCH" ? "original" : "followup", 200);
        }

        Problems.Enqueue($"unexpected REST call {method} {path}");
        context.Response.StatusCode = 404;
        return ("unknown", 404);
    }

    private async Task<int> CreateMessageAsync(HttpContext context, string channel, JsonObject json)
    {
        if (HoldMessages is { } hold)
        {
            Interlocked.Increment(ref _heldMessages);
            await hold;
        }

        Check("/channels/{channel_id}/messages", "post", json);
        CheckWebhookMessage(json);
        var key = "messages|" + channel;

        // Emulated per-channel bucket: the bot should wait when X-RateLimit-Remaining reached 0.
        int remaining;
        double resetAfter;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var (count, start) = _buckets.GetValueOrDefault(key, (0, now));
            if (Stopwatch.GetElapsedTime(start, now) >= MessageBucketWindow)
                (count, start) = (0, now);
            count++;
            _buckets[key] = (count, start);
            remaining = MessageBucketLimit - count;
            resetAfter = (MessageBucketWindow - Stopwatch.GetElapsedTime(start, now)).TotalSeconds;
        }

        if (remaining < 0)
        {
            Problems.Enqueue($"bot ignored X-RateLimit-Remaining: 0 on channel {channel}");
            await WriteRateLimitedAsync(context, resetAfter, global: false, "user");
            return 429;
        }

        var (faulted, afterCommit) = await ApplyFaultAsync(context, "messages", key);
        if (faulted is { } early && !afterCommit)
            return early;

        var nonce = (string?)json["nonce"];
        CreatedMessage? message = null;
        // Looked up and created at once: two sessions' sends with one nonce may arrive together.
        lock (_gate)
        {
            if (nonce is not null && (bool?)json["enforce_nonce"] == true && _byNonce.TryGetValue(channel + "|" + nonce, out var existing))
                message = existing;

            if (message is null)
            {
                var replied = (string?)json["message_reference"]?["message_id"];
                var author = replied is null ? null : _authors.GetValueOrDefault(replied);
                message = new CreatedMessage(NextId(), channel, json, MentionRules.Pings(json, webhook: false, author));
                _created.Add(message);
                if (nonce is not null)
                    _byNonce[channel + "|" + nonce] = message;
            }
        }

        if (afterCommit)
        {
            // The message exists, but the bot only sees an error page.
            await context.Response.WriteAsync("<html>upstream error</html>");
            return faulted!.Value;
        }

        context.Response.Headers["X-RateLimit-Limit"] = MessageBucketLimit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Bucket"] = "emulated-messages";
        await context.Response.WriteJsonAsync(200, new JsonObject { ["id"] = message.Id, ["channel_id"] = channel, ["content"] = json["content"]?.DeepClone() });
        return 200;
    }

    /// <summary>Applies the next scripted fault for a route, and checks the bot waited out earlier 429s.</summary>
    private async Task<(int? Status, bool AfterCommit)> ApplyFaultAsync(HttpContext context, string route, string bucketKey)
    {
        var now = Stopwatch.GetTimestamp();
        if (RetryAfter.IsBlocked(bucketKey, now))
            Problems.Enqueue($"{route}: request sent before retry_after elapsed");

        if (!Faults.TryTake(route, out var fault))
            return (null, false);

        if (fault.Status == 429)
        {
            if (fault.Global)
            {
                Interlocked.Exchange(ref _globalKnownFrom, now + InFlightGrace);
                Interlocked.Exchange(ref _globalBlockedUntil, now + (long)(fault.RetryAfter * Stopwatch.Frequency));
            }
            else
                RetryAfter.Block(bucketKey, now, fault.RetryAfter);
            await WriteRateLimitedAsync(context, fault.RetryAfter, fault.Global, fault.Scope);
            return (429, false);
        }

        context.Response.StatusCode = fault.Status;
        if (fault.AfterCommit)
            return (fault.Status, true);
        await context.Response.WriteAsync("<html>upstream error</html>");
        return (fault.Status, false);
    }

    private static async Task WriteRateLimitedAsync(HttpContext context, double retryAfter, bool global, string scope)
    {
        var headers = context.Response.Headers;
        headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = scope;
        if (global)
            headers["X-RateLimit-Global"] = "true";
        await context.Response.WriteJsonAsync(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = retryAfter, ["global"] = global });
    }

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization == "Bot " + Token)
            return true;
        await context.Response.WriteJsonAsync(401, new JsonObject { ["code"] = 0, ["message"] = "401: Unauthorized" });
        return false;
    }

    private void Check(string template, string method, JsonNode body)
    {
        foreach (var error in OpenApiSchemas.Validate(template, method, body))
            Problems.Enqueue($"{method.ToUpperInvariant()} {template} body fails openapi.json: {error}");
    }

    /// <summary>The documented limits openapi.json does not encode (content 2000, the embed totals, allowed_mentions exclusivity).</summary>
    private void CheckWebhookMessage(JsonObject body)
    {
        var content = (string?)body["content"];
        if (content is { Length: > 2000 })
            Problems.Enqueue($"content of {content.Length} characters (limit 2000)");
        var total = 0;
        foreach (var embed in body["embeds"]?.AsArray() ?? [])
        {
            total += Limit(embed?["title"], 256, "embed title") + Limit(embed?["description"], 4096, "embed description")
                + Limit(embed?["footer"]?["text"], 2048, "embed footer") + Limit(embed?["author"]?["name"], 256, "embed author");
            var fields = embed?["fields"]?.AsArray() ?? [];
            if (fields.Count > 25)
                Problems.Enqueue($"{fields.Count} embed fields (limit 25)");
            foreach (var field in fields)
                total += Limit(field?["name"], 256, "field name") + Limit(field?["value"], 1024, "field value");
        }

        if (total > 6000)
            Problems.Enqueue($"embeds total {total} characters (limit 6000)");
        if (body["allowed_mentions"] is JsonObject allowed)
        {
            var parse = allowed["parse"]?.AsArray().Select(p => (string?)p).ToList() ?? [];
            if ((parse.Contains("users") && allowed["users"] is not null) || (parse.Contains("roles") && allowed["roles"] is not null))
                Problems.Enqueue("allowed_mentions lists a type both in parse and explicitly");
        }
    }

    private int Limit(JsonNode? node, int limit, string what)
    {
        var length = ((string?)node)?.Trim().Length ?? 0;
        if (length > limit)
            Problems.Enqueue($"{what} of {length} characters (limit {limit})");
        return length;
    }

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^DiscordBot \(\S+, \S+\)")]
    private static partial Regex UserAgentRegex();

    [GeneratedRegex(@"^applications/(\d+)(?:/guilds/(\d+))?/commands$")]
    private static partial Regex CommandsRegex();

    [GeneratedRegex(@"^channels/(\d+)/(messages|typing)$")]
    private static partial Regex ChannelRouteRegex();

    [GeneratedRegex(@"^interactions/(\d+)/([^/]+)/callback$")]
    private static partial Regex CallbackRegex();

    [GeneratedRegex(@"^webhooks/(\d+)/([^/]+)(/messages/@original)?$")]
    private static partial Regex WebhookRegex();
}

/// <summary>One gateway connection from the bot's side of view: what it sent and how it ended.</summary>
public sealed class EmulatedConnection(WebSocket socket, string path) : ServerWebSocket(socket)
{
    public string Path { get; } = path;

    public bool Ready { get; set; }

    /// <summary>The session this connection identified or resumed, once it did.</summary>
    public string? SessionId { get; set; }

    public long IdentifiedAt { get; set; }

    public IEnumerable<JsonObject> Sent(int op) => Received.Where(f => (int)f["op"]! == op);
}
