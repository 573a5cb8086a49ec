using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Slack.Commands;
using NewsBot.Slack.Events;

namespace NewsBot.Slack.HttpMode;

/// <summary>
/// HTTP mode (Kestrel): Events API requests at /slack/events and slash commands at /slack/commands.
/// Every request must carry a valid v0 signature with a fresh timestamp, or it gets 401 and nothing
/// else; url_verification is answered with its challenge; everything else is queued and acknowledged
/// with 200 at once, the work being done after the response.
/// </summary>
internal sealed partial class SlackHttpEndpoint(
    SlackInbox inbox,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    public const string EventsPath = "/slack/events";
    public const string CommandsPath = "/slack/commands";

    /// <summary>Slack's bodies are small; anything much larger is not Slack.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private readonly SlackOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger<SlackHttpEndpoint>();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    /// <summary>The address Kestrel listens on, once started (useful when the port was 0).</summary>
    public Task<Uri> Address => _address.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var signature = new RequestSignature(_options.SigningSecret!, _options.HttpEndpoint.MaxClockSkew, time);
        // The front end may be started again after a crash: the earlier (stopped, or never started) app goes first.
        if (_app is not null)
            await _app.DisposeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_options.HttpEndpoint.ListenUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        _app = builder.Build();
        _app.MapPost(EventsPath, context => EventsAsync(context, signature));
        _app.MapPost(CommandsPath, context => CommandsAsync(context, signature));
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? _options.HttpEndpoint.ListenUrl;
        _address.TrySetResult(new Uri(address));
        LogListening(address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    private async Task EventsAsync(HttpContext context, RequestSignature signature)
    {
        if (await ReadSignedBodyAsync(context, signature) is not { } body)
            return;

        JsonElement callback;
        try
        {
            using var doc = JsonDocument.Parse(body);
            callback = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var type = callback.ValueKind == JsonValueKind.Object && callback.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "url_verification")
        {
            var challenge = callback.TryGetProperty("challenge", out var c) ? c.GetString() ?? "" : "";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(challenge, context.RequestAborted);
            return;
        }

        var retry = int.TryParse(context.Request.Headers["X-Slack-Retry-Num"], out var number) ? number : 0;
        if (type == "event_callback" && !inbox.TryWrite(new InboundEvent(callback, retry)))
        {
            // Full: a 5xx makes Slack deliver it again later instead of losing it.
            LogBusy();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task CommandsAsync(HttpContext context, RequestSignature signature)
    {
        if (await ReadSignedBodyAsync(context, signature) is not { } body)
            return;
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.ToString());
        if (form.GetValueOrDefault("ssl_check") == "1")
            return;
        if (SlashCommand.FromForm(form) is not { } command)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!inbox.TryWrite(new InboundCommand(command)))
        {
            LogBusy();
            await WriteEphemeralAsync(context, "NewsBot is busy right now; please try again in a minute.");
            return;
        }

        // An empty 200 acknowledges without a visible message; the result follows through response_url.
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task<byte[]?> ReadSignedBodyAsync(HttpContext context, RequestSignature signature)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        if (signature.IsValid(context.Request.Headers["X-Slack-Request-Timestamp"], context.Request.Headers["X-Slack-Signature"], body))
            return body;
        LogBadSignature(context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return null;
    }

    private static async Task WriteEphemeralAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { response_type = "ephemeral", text }), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack HTTP endpoint listening on {Address} (/slack/events, /slack/commands)")]
    private partial void LogListening(string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a request to {Path}: missing, wrong or stale Slack signature (401)")]
    private partial void LogBadSignature(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NewsBot's Slack queue is full; asked Slack to deliver again later")]
    private partial void LogBusy();
}
