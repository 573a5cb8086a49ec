using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.RateLimiting;
using NewsBot.Chat;
using NewsBot.Discord.Rest;
using NewsBot.Resilience;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// A Discord Gateway v10 client over ClientWebSocket: Hello, jittered heartbeats with zombie
/// detection, Identify/Resume, op 7 and op 9, the close-code table, backoff with jitter and the
/// session-start budget. Dispatches (deduplicated by event id) are handed to a callback.
/// </summary>
internal sealed partial class GatewayClient(
    DiscordRestClient rest,
    DiscordIdentity identity,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<GatewayClient> logger)
{
    private const int MaxFrameBytes = 4096;
    private const int GuildsIntent = 1 << 0;
    private const int GuildMessagesIntent = 1 << 9;
    private const int DirectMessagesIntent = 1 << 12;
    private const int MessageContentIntent = 1 << 15;
    private const int FailedResumesBeforeIdentify = 3;

    /// <summary>How long a stop waits for Discord to answer its close frame before it drops the connection.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);

    // READY events so far: every one after the first is a reconnect with a new session.
    private int _sessionsStarted;

    private readonly DiscordOptions _options = options.Value;
    private readonly EventDeduplicator _dedup = new();
    private string? _sessionId;
    private string? _resumeUrl;
    private long? _sequence;
    private long _lastIdentify;

    public int Intents => GuildsIntent | GuildMessagesIntent | DirectMessagesIntent | (_options.NeedsMessageContent ? MessageContentIntent : 0);

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="NewsBot.Chat.FrontEndRefusedException">Discord says reconnecting cannot help; the message says what to fix.</exception>
    public async Task RunAsync(Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var resume = _sessionId is not null && _resumeUrl is not null;
            string url;
            try
            {
                url = resume ? _resumeUrl! : await PrepareIdentifyAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new NewsBot.Chat.FrontEndRefusedException(GatewayCloseCodes.TokenRejected(ex.Route));
            }
            catch (Exception ex) when (ex is HttpRequestException or DiscordApiException or JsonException or OperationCanceledException)
            {
                failures++;
                LogGatewayUrlFailed(ex.Message);
                await DelayAsync(Backoff(failures), cancellationToken);
                continue;
            }

            var result = await RunConnectionAsync(url, resume, onDispatch, cancellationToken);
            failures = result.Healthy ? 0 : failures + 1;
            switch (result.Plan)
            {
                case null:
                    return;
                case ReconnectPlan.Stop:
                    throw new NewsBot.Chat.FrontEndRefusedException(result.Refusal!);
                case ReconnectPlan.Identify:
                    ForgetSession();
                    await DelayAsync(Between(_options.Gateway.ReIdentifyDelayMin, _options.Gateway.ReIdentifyDelayMax), cancellationToken);
                    break;
                case ReconnectPlan.Resume when resume && !result.Healthy && failures >= FailedResumesBeforeIdentify:
                    ForgetSession();
                    break;
            }

            if (failures > 0)
                await DelayAsync(Backoff(failures), cancellationToken);
        }
    }

    private void ForgetSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        _sequence = null;
    }

    /// <summary>Fetches the gateway URL and waits out the session-start budget and the identify spacing.</summary>
    private async Task<string> PrepareIdentifyAsync(CancellationToken cancellationToken)
    {
        var bot = await rest.GetGatewayBotAsync(cancellationToken);
        var limit = bot.SessionStartLimit;
        if (limit.Remaining <= 0)
        {
            // Using up the budget resets the token; waiting is the only safe move.
            var wait = TimeSpan.FromMilliseconds(limit.ResetAfter);
            LogSessionBudgetExhausted(limit.Total, wait.TotalSeconds);
            await Task.Delay(wait, time, cancellationToken);
        }

        if (_lastIdentify != 0)
        {
            var spacing = _options.Gateway.IdentifyWindow / Math.Max(1, limit.MaxConcurrency);
            var since = time.GetElapsedTime(_lastIdentify);
            if (since < spacing)
                await Task.Delay(spacing - since, time, cancellationToken);
        }

        return bot.Url;
    }

    private async Task<ConnectionResult> RunConnectionAsync(string url, bool resume, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var helloTimer = new CancellationTokenSource(_options.Gateway.HelloTimeout, time);
        // Not linked to the stop: cancelling a read aborts a ClientWebSocket, so no close frame could be sent after it.
        using var receiveCts = CancellationTokenSource.CreateLinkedTokenSource(helloTimer.Token);
        using var ended = new CancellationTokenSource();
        var connection = new Connection(socket, new SlidingWindowLimiter(_options.Gateway.MaxFramesPerMinute, TimeSpan.FromMinutes(1), time));
        var state = new ConnectionState();
        Task heartbeat = Task.CompletedTask;
        var closer = CloseOnStopAsync(connection, receiveCts, cancellationToken, ended.Token);
        try
        {
            var uri = new UriBuilder(url) { Query = "v=10&encoding=json" }.Uri;
            LogConnecting(uri.Host, resume ? "resume" : "identify");
            await socket.ConnectAsync(uri, receiveCts.Token);
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            while (true)
            {
                if (!await socket.ReceiveMessageAsync(buffer, receiveCts.Token))
                {
                    return cancellationToken.IsCancellationRequested
                        ? new ConnectionResult(null, state.Healthy)
                        : Closed(socket.CloseStatus is { } status ? (int)status : null, state);
                }

                using var frame = JsonDocument.Parse(buffer.WrittenMemory);
                var root = frame.RootElement;
                var op = root.GetProperty("op").GetInt32();
                switch (op)
                {
                    case 10:
                        helloTimer.CancelAfter(Timeout.InfiniteTimeSpan);
                        var interval = TimeSpan.FromMilliseconds(root.GetProperty("d").GetProperty("heartbeat_interval").GetDouble());
                        heartbeat = HeartbeatAsync(connection, interval, state, connectionCts.Token);
                        if (resume)
                            await SendResumeAsync(connection, receiveCts.Token);
                        else
                            await SendIdentifyAsync(connection, receiveCts.Token);
                        break;
                    case 11:
                        state.AckPending = false;
                        break;
                    case 1:
                        await connection.SendAsync(Heartbeat(), receiveCts.Token);
                        break;
                    case 7:
                        LogReconnectRequested();
                        await connection.CloseAsync(GatewayCloseCodes.ResumableClose, "reconnect requested", time);
                        return new ConnectionResult(ReconnectPlan.Resume, state.Healthy);
                    case 9:
                        var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                        LogInvalidSession(resumable);
                        await connection.CloseAsync(GatewayCloseCodes.ResumableClose, "invalid session", time);
                        return new ConnectionResult(resumable ? ReconnectPlan.Resume : ReconnectPlan.Identify, state.Healthy);
                    case 0:
                        await OnDispatchAsync(root, state, onDispatch, receiveCts.Token);
                        break;
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Stopping, and Discord did not answer the close in time (the read was cancelled) or went away meanwhile.
            return new ConnectionResult(null, state.Healthy);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (state.Zombie)
                return ZombieDropped(state);
            LogConnectionLost(ex.GetType().Name, ex.Message);
            return new ConnectionResult(_sessionId is null ? ReconnectPlan.Identify : ReconnectPlan.Resume, state.Healthy);
        }
        finally
        {
            await ended.CancelAsync();
            await closer;
            await connectionCts.CancelAsync();
            try
            {
                await heartbeat;
            }
            catch (OperationCanceledException)
            {
                // The heartbeat stops with its connection.
            }
        }
    }

    /// <summary>
    /// On a stop, closes with 1000 (the session ends, so the bot shows offline at once) while the read goes on, so that
    /// dispatches Discord sent before its answering close frame are still handed on; the read is cancelled only when
    /// that answer takes longer than <see cref="CloseHandshakeTimeout"/>, or at once when the socket is not open yet.
    /// </summary>
    private async Task CloseOnStopAsync(Connection connection, CancellationTokenSource receive, CancellationToken stop, CancellationToken ended)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, ended);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, either.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping, or the connection ended first.
        }

        if (ended.IsCancellationRequested)
            return;
        if (await connection.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", time))
        {
            try
            {
                await Task.Delay(CloseHandshakeTimeout, time, ended);
            }
            catch (OperationCanceledException)
            {
                return; // Discord answered the close, which ended the read.
            }
        }

        await receive.CancelAsync();
    }

    private ConnectionResult Closed(int? code, ConnectionState state)
    {
        // The heartbeat dropped a zombie connection itself: the close frame that ends the loop is the echo of its own
        // close (or of an abort), whichever comes first on a busy machine, not a decision by Discord.
        if (state.Zombie)
            return ZombieDropped(state);

        var (plan, advice) = GatewayCloseCodes.Classify(code);
        if (plan == ReconnectPlan.Stop)
            return new ConnectionResult(ReconnectPlan.Stop, state.Healthy) { Refusal = GatewayCloseCodes.Refusal(code, advice!) };

        if (GatewayCloseCodes.IsOurBug(code))
            LogOwnBug(code ?? 0);
        else
            LogClosed(code ?? 0, plan);

        // 4008 means we sent too fast: count it as a failure so the backoff applies.
        return new ConnectionResult(plan, state.Healthy && code != 4008);
    }

    private ConnectionResult ZombieDropped(ConnectionState state)
    {
        LogZombie();
        return new ConnectionResult(_sessionId is null ? ReconnectPlan.Identify : ReconnectPlan.Resume, state.Healthy);
    }

    private async ValueTask OnDispatchAsync(JsonElement root, ConnectionState state, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        if (root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number)
            _sequence = s.GetInt64();
        var type = root.TryGetProperty("t", out var t) ? t.GetString() : null;
        if (type is null || !root.TryGetProperty("d", out var data))
            return;

        switch (type)
        {
            case "READY":
                var ready = DiscordJson.Deserialize<ReadyEvent>(data);
                _sessionId = ready.SessionId;
                _resumeUrl = ready.ResumeGatewayUrl;
                identity.BotUserId = ready.User.Id;
                identity.ApplicationId ??= ready.Application?.Id;
                state.Healthy = true;
                if (Interlocked.Increment(ref _sessionsStarted) > 1)
                    NewsBot.Telemetry.NewsBotTelemetry.RecordReconnect("discord");
                LogReady(ready.User.Username ?? ready.User.Id, _options.ShardId, _options.ShardCount);
                break;
            case "RESUMED":
                state.Healthy = true;
                NewsBot.Telemetry.NewsBotTelemetry.RecordReconnect("discord");
                LogResumed(_sequence ?? 0);
                return;
            default:
                if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("id", out var id) && !_dedup.FirstTime(type + ":" + id.GetString()))
                {
                    LogDuplicate(type);
                    return;
                }

                break;
        }

        await onDispatch(new GatewayDispatch(type, data.Clone()), cancellationToken);
    }

    private async Task HeartbeatAsync(Connection connection, TimeSpan interval, ConnectionState state, CancellationToken cancellationToken)
    {
        // The first beat is jittered so that many clients reconnecting at once do not beat in step.
        await Task.Delay(interval * Random.Shared.NextDouble(), time, cancellationToken);
        while (true)
        {
            if (state.AckPending)
            {
                state.Zombie = true;
                await connection.CloseAsync(GatewayCloseCodes.ResumableClose, "heartbeat ACK missing", time);
                connection.Abort();
                return;
            }

            state.AckPending = true;
            await connection.SendAsync(Heartbeat(), cancellationToken);
            await Task.Delay(interval, time, cancellationToken);
        }
    }

    private JsonObject Heartbeat() => new() { ["op"] = 1, ["d"] = _sequence };

    private async Task SendIdentifyAsync(Connection connection, CancellationToken cancellationToken)
    {
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";
        var payload = new JsonObject
        {
            ["op"] = 2,
            ["d"] = new JsonObject
            {
                ["token"] = _options.Token,
                ["intents"] = Intents,
                ["properties"] = new JsonObject { ["os"] = os, ["browser"] = "NewsBot", ["device"] = "NewsBot" },
                ["shard"] = new JsonArray(_options.ShardId, _options.ShardCount),
            },
        };
        _lastIdentify = time.GetTimestamp();
        await connection.SendAsync(payload, cancellationToken);
        LogIdentified(Intents);
    }

    private async Task SendResumeAsync(Connection connection, CancellationToken cancellationToken)
    {
        var payload = new JsonObject
        {
            ["op"] = 6,
            ["d"] = new JsonObject { ["token"] = _options.Token, ["session_id"] = _sessionId, ["seq"] = _sequence },
        };
        await connection.SendAsync(payload, cancellationToken);
    }

    /// <summary>Waits, returning early (without throwing) when the front end is stopping.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
            return;
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // RunAsync's loop sees the cancellation and returns.
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var g = _options.Gateway;
        return new ReconnectBackoff(g.ReconnectDelayMin, g.ReconnectDelayMax).Jittered(failures, Random.Shared);
    }

    private static TimeSpan Between(TimeSpan min, TimeSpan max) => min + ((max - min) * Random.Shared.NextDouble());

    private sealed record ConnectionResult(ReconnectPlan? Plan, bool Healthy)
    {
        /// <summary>For <see cref="ReconnectPlan.Stop"/>: what the owner must fix.</summary>
        public string? Refusal { get; init; }
    }

    private sealed class ConnectionState
    {
        public volatile bool AckPending;
        public volatile bool Zombie;
        public volatile bool Healthy;
    }

    /// <summary>One socket: sends are serialised, size-checked and kept under the per-connection frame rate.</summary>
    private sealed class Connection(ClientWebSocket socket, SlidingWindowLimiter limiter)
    {
        private readonly SemaphoreSlim _sendGate = new(1, 1);

        public async Task SendAsync(JsonObject payload, CancellationToken cancellationToken)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(payload);
            if (bytes.Length > MaxFrameBytes)
                throw new InvalidOperationException($"A gateway frame (op {payload["op"]}) of {bytes.Length} bytes exceeds Discord's {MaxFrameBytes}-byte limit.");
            await limiter.WaitAsync(cancellationToken);
            await _sendGate.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sendGate.Release();
            }
        }

        /// <summary>Sends a close frame; false when the socket was not open (so no answer to it will come) or it failed.</summary>
        public async Task<bool> CloseAsync(int code, string reason, TimeProvider time)
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                return false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            try
            {
                await _sendGate.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
                    return true;
                }
                finally
                {
                    _sendGate.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The socket is being dropped anyway.
                return false;
            }
        }

        public void Abort() => socket.Abort();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the Discord gateway at {Host} ({Mode})")]
    private partial void LogConnecting(string host, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identified to the Discord gateway with intents {Intents}")]
    private partial void LogIdentified(int intents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord READY as {User} (shard {ShardId}/{ShardCount})")]
    private partial void LogReady(string user, int shardId, int shardCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord session resumed at sequence {Sequence}")]
    private partial void LogResumed(long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord asked NewsBot to reconnect (op 7); resuming")]
    private partial void LogReconnectRequested();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord invalidated the session (op 9, resumable: {Resumable})")]
    private partial void LogInvalidSession(bool resumable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No heartbeat ACK from Discord since the last beat; dropping the zombie connection and resuming")]
    private partial void LogZombie();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connection lost ({Kind}: {Reason}); reconnecting")]
    private partial void LogConnectionLost(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord closed the gateway with code {Code}; next: {Plan}")]
    private partial void LogClosed(int code, ReconnectPlan plan);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord closed the gateway with code {Code}, which means NewsBot sent a bad frame; resuming. Please report this.")]
    private partial void LogOwnBug(int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not get the Discord gateway URL: {Reason}")]
    private partial void LogGatewayUrlFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord session-start budget ({Total} per day) is used up; waiting {Seconds:0} s before identifying")]
    private partial void LogSessionBudgetExhausted(int total, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a repeated {Type} event")]
    private partial void LogDuplicate(string type);
}
