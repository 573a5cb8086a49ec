using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Resilience;
using NewsBot.Slack.Commands;
using NewsBot.Slack.Events;
using NewsBot.Slack.WebApi;

namespace NewsBot.Slack.SocketMode;

/// <summary>
/// Slack's Socket Mode over ClientWebSocket: apps.connections.open with the app-level token, wait for
/// hello, acknowledge every envelope (by envelope_id) before handing it on, and on a dropped socket open a new
/// connection. On a disconnect message the new connection is opened while the old one is still read (Slack keeps
/// delivering on it until it closes it), so a routine refresh leaves no gap in which events wait for a retry. Work already handed on goes on regardless, and replies go
/// through the Web API, so a reconnect neither loses nor repeats an answer. Repeated failures back off
/// with jitter; a token Slack rejects stops the front end with one line saying what to fix.
/// </summary>
internal sealed partial class SocketModeClient(
    SlackApiClient api,
    SlackInbox inbox,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SocketModeClient> logger)
{
    /// <summary>How long a connection Slack asked NewsBot to leave is still read, if Slack does not close it first.</summary>
    private static readonly TimeSpan LeaveLimit = TimeSpan.FromSeconds(30);

    private readonly SlackSocketModeOptions _options = options.Value.SocketMode;

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="FrontEndRefusedException">Slack refused the app-level token.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var leaving = new List<Task<bool>>();
        try
        {
            await ConnectAgainAndAgainAsync(leaving, cancellationToken);
        }
        finally
        {
            await Task.WhenAll(leaving);
        }
    }

    private async Task ConnectAgainAndAgainAsync(List<Task<bool>> leaving, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string url;
            try
            {
                var opened = await api.CallFormAsync("apps.connections.open", SlackToken.App, null, cancellationToken);
                url = opened.GetProperty("url").GetString() ?? throw new JsonException("no url");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SlackApiException ex) when (SlackApiClient.IsAuthError(ex.Error))
            {
                throw new FrontEndRefusedException($"Slack refused Slack:AppToken ({ex.Error}). Create a new app-level token with the connections:write scope (Basic Information > App-Level Tokens) and set Slack:AppToken.");
            }
            catch (Exception ex) when (ex is SlackApiException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                failures++;
                LogOpenFailed(ex.Message, failures);
                await DelayAsync(Backoff(failures), cancellationToken);
                continue;
            }

            var replaced = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = RunConnectionAsync(url, replaced, cancellationToken);
            var healthy = await await Task.WhenAny(connection, replaced.Task);
            leaving.RemoveAll(c => c.IsCompleted);
            if (!connection.IsCompleted)
                leaving.Add(connection);
            if (!cancellationToken.IsCancellationRequested)
                NewsBot.Telemetry.NewsBotTelemetry.RecordReconnect("slack");
            failures = healthy ? 0 : failures + 1;
            if (failures > 0)
                await DelayAsync(Backoff(failures), cancellationToken);
        }
    }

    /// <summary>
    /// One WebSocket connection; true when it got as far as hello (so reconnecting at once is fine). On a disconnect
    /// message <paramref name="replaced"/> says so at once, and the connection is read on until Slack closes it.
    /// </summary>
    private async Task<bool> RunConnectionAsync(string url, TaskCompletionSource<bool> replaced, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        // Pings that Slack must answer: a half-open connection is aborted (the read below then fails) instead of
        // leaving the bot connected to nothing. Without a timeout .NET would only send unanswered pongs.
        socket.Options.KeepAliveInterval = _options.PingInterval;
        socket.Options.KeepAliveTimeout = _options.PongTimeout;
        // First the wait for hello; once Slack asked NewsBot to leave, how long the old connection is still read.
        using var deadline = new CancellationTokenSource(_options.HelloTimeout, time);
        using var receive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var healthy = false;
        var left = false;
        try
        {
            await socket.ConnectAsync(new Uri(url), receive.Token);
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            while (true)
            {
                if (!await socket.ReceiveMessageAsync(buffer, receive.Token))
                {
                    if (!left)
                        LogClosedBySlack(socket.CloseStatus is { } status ? (int)status : 0, socket.CloseStatusDescription ?? "");
                    await CloseAsync(socket, WebSocketCloseStatus.NormalClosure);
                    return healthy;
                }

                using var frame = JsonDocument.Parse(buffer.WrittenMemory);
                var root = frame.RootElement;
                var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (root.TryGetProperty("envelope_id", out var envelope) && envelope.GetString() is { } envelopeId)
                {
                    // Acknowledged first: Slack retries anything not acknowledged within 3 s.
                    await AcknowledgeAsync(socket, envelopeId, receive.Token);
                    await HandOnAsync(type, root);
                    continue;
                }

                switch (type)
                {
                    case "hello":
                        healthy = true;
                        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                        LogConnected(root.TryGetProperty("num_connections", out var n) && n.TryGetInt32(out var count) ? count : 1);
                        break;
                    case "disconnect" when !left:
                        var reason = root.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "";
                        if (reason == "link_disabled")
                            LogLinkDisabled();
                        else
                            LogDisconnectRequested(reason);
                        left = true;
                        replaced.TrySetResult(healthy);
                        deadline.CancelAfter(LeaveLimit);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure);
            return healthy;
        }
        catch (OperationCanceledException) when (left)
        {
            // Slack did not close the connection it asked NewsBot to leave within the limit.
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure);
            return healthy;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or JsonException or InvalidOperationException)
        {
            if (!left)
                LogConnectionLost(ex.GetType().Name, deadline.IsCancellationRequested && !healthy ? "no hello in time" : ex.Message);
            return healthy;
        }
        finally
        {
            replaced.TrySetResult(healthy);
        }
    }

    /// <summary>
    /// Queues an acknowledged envelope, even when stopping began meanwhile: Slack will not deliver it again. The front end
    /// reads the inbox until this receiver has ended, so a wait for room in it ends.
    /// </summary>
    private async Task HandOnAsync(string? type, JsonElement envelope)
    {
        if (!envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return;
        switch (type)
        {
            case "events_api":
                var retry = envelope.TryGetProperty("retry_attempt", out var a) && a.TryGetInt32(out var attempt) ? attempt : 0;
                await inbox.WriteAsync(new InboundEvent(payload.Clone(), retry), CancellationToken.None);
                break;
            case "slash_commands":
                if (SlashCommand.FromJson(payload) is { } command)
                    await inbox.WriteAsync(new InboundCommand(command), CancellationToken.None);
                else
                    LogBadCommand();
                break;
            default:
                LogIgnored(type ?? "?");
                break;
        }
    }

    private static async Task AcknowledgeAsync(ClientWebSocket socket, string envelopeId, CancellationToken cancellationToken)
    {
        var ack = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["envelope_id"] = envelopeId });
        await socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private async Task CloseAsync(ClientWebSocket socket, WebSocketCloseStatus status)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await socket.CloseOutputAsync(status, "reconnecting", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket is being dropped anyway.
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // RunAsync's loop sees the cancellation and returns.
        }
    }

    private TimeSpan Backoff(int failures) =>
        new ReconnectBackoff(_options.ReconnectDelayMin, _options.ReconnectDelayMax).Jittered(failures, Random.Shared);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Slack in Socket Mode ({Connections} connection(s) open for this app)")]
    private partial void LogConnected(int connections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked NewsBot to reconnect ({Reason}); opening a new Socket Mode connection while the old one is read until Slack closes it")]
    private partial void LogDisconnectRequested(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack disabled this Socket Mode link (link_disabled): Socket Mode may have been turned off in the app settings; opening a new connection")]
    private partial void LogLinkDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack closed the Socket Mode connection (code {Code} {Reason}); reconnecting")]
    private partial void LogClosedBySlack(int code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection lost ({Kind}: {Reason}); reconnecting")]
    private partial void LogConnectionLost(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open a Socket Mode connection ({Reason}); attempt {Attempt}, backing off")]
    private partial void LogOpenFailed(string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a slash command envelope without command, user, channel or response_url")]
    private partial void LogBadCommand();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Acknowledged and ignored a {Type} envelope")]
    private partial void LogIgnored(string type);
}
