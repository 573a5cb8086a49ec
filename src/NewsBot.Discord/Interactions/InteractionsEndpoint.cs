using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Discord.Commands;

namespace NewsBot.Discord.Interactions;

/// <summary>
/// The optional HTTP interactions endpoint (Kestrel). Verifies the Ed25519 signature (401 when it
/// fails), answers PING with PONG, and answers commands inline: the first response (defer, message
/// or autocomplete) becomes the HTTP response, and the rest of the work continues afterwards, also once stopping began
/// (Discord does not post an accepted interaction again), for up to <c>FrontEnds:StopDrainTime</c>.
/// </summary>
internal sealed partial class InteractionsEndpoint : IHostedService, IAsyncDisposable
{
    private readonly InteractionHandler _handler;
    private readonly DiscordInteractionsEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly FrontEndWork _work;
    private WebApplication? _app;

    public InteractionsEndpoint(
        InteractionHandler handler,
        IOptions<DiscordOptions> options,
        IOptions<FrontEndLifetimeOptions> frontEnds,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _handler = handler;
        _options = options.Value.InteractionsEndpoint;
        _logger = loggerFactory.CreateLogger<InteractionsEndpoint>();
        _work = new FrontEndWork("the Discord interactions endpoint", options.Value.MaxConcurrentQuestions, frontEnds.Value.StopDrainTime, time, _logger, _stopping.Token);
    }

    /// <summary>The address Kestrel is listening on (useful when the port was 0).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var verifier = new SignatureVerifier(_options.PublicKey!);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_options.ListenUrl);
        _app = builder.Build();
        _app.MapPost(_options.Path, context => HandleAsync(context, verifier));
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = address is null ? null : new Uri(new Uri(address), _options.Path);
        LogListening(address ?? _options.ListenUrl);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
        await _work.DrainAsync();
    }

    private async Task HandleAsync(HttpContext context, SignatureVerifier verifier)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var raw = body.ToArray();
        if (!verifier.IsValid(context.Request.Headers["X-Signature-Timestamp"], context.Request.Headers["X-Signature-Ed25519"], raw))
        {
            LogBadSignature();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        Interaction interaction;
        try
        {
            interaction = JsonSerializer.Deserialize<Interaction>(raw, DiscordJson.Options) ?? throw new JsonException("empty body");
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var responder = new InlineResponder();
        var work = _handler.HandleAsync(interaction, responder, _work.Token);
        _work.Track(work);

        var first = await Task.WhenAny(responder.Response, work);
        if (first != responder.Response)
        {
            // The handler finished without answering (an interaction type NewsBot ignores).
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        try
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, await responder.Response, DiscordJson.Options, context.RequestAborted);
        }
        finally
        {
            responder.Sent();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _work.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Turns the handler's first response into the HTTP response, and lets it go on only once that was written.</summary>
    private sealed class InlineResponder : IInteractionResponder
    {
        private readonly TaskCompletionSource<InteractionResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<InteractionResponse> Response => _response.Task;

        public void Sent() => _sent.TrySetResult();

        public Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken)
        {
            _response.TrySetResult(response);
            return _sent.Task.WaitAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord interactions endpoint listening on {Address}")]
    private partial void LogListening(string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an interaction request with a bad signature (401)")]
    private partial void LogBadSignature();
}
