using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.RateLimiting;
using NewsBot.Resilience;

namespace NewsBot.Discord.Rest;

/// <summary>
/// Discord REST v10 over one HttpClient. Honours per-route buckets (X-RateLimit-* headers keyed on
/// bucket + top-level resource) and the global limit (which interaction routes are not bound by); a 429 is waited out and the same request sent
/// again; 5xx, timeouts and dropped connections are retried a bounded number of times with backoff.
/// Messages carry a nonce with enforce_nonce, so a retry after a lost response cannot post twice.
/// </summary>
internal sealed partial class DiscordRestClient : IDisposable
{
    private const int AlreadyAcknowledged = 40060;
    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly SlidingWindowLimiter _global;
    private readonly ConcurrentDictionary<string, string> _bucketOfRoute = new();
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    private readonly Lock _globalGate = new();
    private long _globalBlockedUntil;
    private readonly TaskCompletionSource<string> _tokenRejected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DiscordRestClient(IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _global = new SlidingWindowLimiter(_options.Rest.GlobalRequestsPerSecond, TimeSpan.FromSeconds(1), time);
        var baseUrl = _options.ApiBaseUrl.ToString();
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            // Per-attempt timeouts are applied in SendAsync so they can be retried.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var version = typeof(DiscordRestClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
        _http.DefaultRequestHeaders.UserAgent.ParseAdd($"DiscordBot ({_options.UserAgentUrl}, {version})");
    }

    /// <summary>
    /// Completes with the route of the first request Discord answered 401 Unauthorized: the token is wrong or was reset,
    /// and no request is sent after it (more attempts count towards a Cloudflare ban).
    /// </summary>
    public Task<string> TokenRejected => _tokenRejected.Task;

    public async Task<GatewayBotResponse> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(RestRoute.GatewayBot(), null, cancellationToken);
        return DiscordJson.Deserialize<GatewayBotResponse>(doc!.RootElement);
    }

    public async Task CreateMessageAsync(string channelId, MessageCreate message, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(RestRoute.CreateMessage(channelId), message, cancellationToken);
    }

    public async Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(RestRoute.TriggerTyping(channelId), null, cancellationToken);
    }

    public async Task BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken)
    {
        var route = guildId is null ? RestRoute.BulkOverwriteGlobalCommands(applicationId) : RestRoute.BulkOverwriteGuildCommands(applicationId, guildId);
        using var _ = await SendAsync(route, commands, cancellationToken);
    }

    public async Task CreateInteractionResponseAsync(string interactionId, string token, InteractionResponse response, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(RestRoute.InteractionCallback(interactionId, token), response, cancellationToken);
        }
        catch (DiscordApiException ex) when (ex.Code == AlreadyAcknowledged)
        {
            // Only reachable on a retry whose first attempt was accepted but whose answer was lost.
        }
    }

    public async Task EditOriginalResponseAsync(string applicationId, string token, WebhookMessage message, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(RestRoute.EditOriginalResponse(applicationId, token), message, cancellationToken);
    }

    public async Task CreateFollowupAsync(string applicationId, string token, WebhookMessage message, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(RestRoute.CreateFollowup(applicationId, token), message, cancellationToken);
    }

    private async Task<JsonDocument?> SendAsync(RestRoute route, object? body, CancellationToken cancellationToken)
    {
        if (_tokenRejected.Task.IsCompleted)
            throw new DiscordApiException(HttpStatusCode.Unauthorized, null, route.Template, "the bot token was rejected earlier; fix Discord:Token and restart.");

        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            var bucket = GetBucket(route);
            await bucket.Gate.WaitAsync(cancellationToken);
            try
            {
                await WaitForBucketAsync(bucket, route, cancellationToken);
                // Interaction routes are outside the global limit, and their first response is due within 3 s: a
                // global 429 earned by channel messages must not make the bot miss it.
                if (route.CountsGlobally)
                {
                    await WaitForGlobalAsync(cancellationToken);
                    await _global.WaitAsync(cancellationToken);
                }

                using var request = new HttpRequestMessage(route.Method, route.Path);
                if (route.Authenticated)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
                if (body is not null)
                    request.Content = JsonContent.Create(body, body.GetType(), options: DiscordJson.Options);

                HttpResponseMessage response;
                using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    attempt.CancelAfter(_options.Rest.RequestTimeout);
                    try
                    {
                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException)
                    {
                        if (++failures > _options.Rest.MaxRetries)
                            throw;
                        LogTransientFailure(route.Template, ex.GetType().Name, failures);
                        await Task.Delay(Backoff(failures), _time, cancellationToken);
                        continue;
                    }
                }

                using (response)
                {
                    UpdateBucket(route, bucket, response);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (response.IsSuccessStatusCode)
                        return text.Length == 0 ? null : JsonDocument.Parse(text);

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        if (++rateLimited > _options.Rest.MaxRateLimitRetries)
                            throw new DiscordApiException(response.StatusCode, null, route.Template, "still rate limited after the configured number of retries.");
                        HandleTooManyRequests(route, bucket, response, text);
                        continue;
                    }

                    if ((int)response.StatusCode >= 500)
                    {
                        if (++failures > _options.Rest.MaxRetries)
                            throw Error(route, response.StatusCode, text);
                        LogTransientFailure(route.Template, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), failures);
                        await Task.Delay(Backoff(failures), _time, cancellationToken);
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.Unauthorized && route.Authenticated)
                    {
                        // After a 401 Discord wants the token left alone: more attempts count towards a Cloudflare ban.
                        _tokenRejected.TrySetResult(route.Template);
                    }

                    throw Error(route, response.StatusCode, text);
                }
            }
            finally
            {
                bucket.Gate.Release();
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var exponential = _options.Rest.RetryBaseDelay * Math.Pow(2, failures - 1);
        return exponential * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    private Bucket GetBucket(RestRoute route)
    {
        var id = _bucketOfRoute.TryGetValue(route.Template, out var hash) ? hash : route.Template;
        return _buckets.GetOrAdd(id + "|" + route.MajorId, _ => new Bucket());
    }

    private async Task WaitForBucketAsync(Bucket bucket, RestRoute route, CancellationToken cancellationToken)
    {
        if (bucket.Remaining > 0)
            return;
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), bucket.ResetAt);
        if (wait > TimeSpan.Zero)
        {
            LogBucketWait(route.Template, wait.TotalMilliseconds);
            await _time.DelayUntilAsync(bucket.ResetAt, cancellationToken);
        }

        bucket.Remaining = 1;
    }

    private async Task WaitForGlobalAsync(CancellationToken cancellationToken)
    {
        long until;
        lock (_globalGate)
            until = _globalBlockedUntil;
        if (until != 0)
            await _time.DelayUntilAsync(until, cancellationToken);
    }

    private void UpdateBucket(RestRoute route, Bucket bucket, HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-Bucket") is { } hash)
            _bucketOfRoute[route.Template] = hash;
        if (int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
            && double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
        {
            bucket.Remaining = remaining;
            bucket.ResetAt = _time.GetTimestamp() + (long)(resetAfter * _time.TimestampFrequency);

            // The first answer may name a bucket that other routes share: carry the state over.
            if (Header(response, "X-RateLimit-Bucket") is { } h)
            {
                var shared = _buckets.GetOrAdd(h + "|" + route.MajorId, _ => bucket);
                if (!ReferenceEquals(shared, bucket))
                {
                    shared.Remaining = remaining;
                    shared.ResetAt = bucket.ResetAt;
                }
            }
        }
    }

    private void HandleTooManyRequests(RestRoute route, Bucket bucket, HttpResponseMessage response, string text)
    {
        var retryAfter = 1.0;
        var global = string.Equals(Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("retry_after", out var r) && r.TryGetDouble(out var seconds))
                retryAfter = seconds;
            if (doc.RootElement.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True)
                global = true;
        }
        catch (JsonException)
        {
            if (double.TryParse(Header(response, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var header))
                retryAfter = header;
        }

        var until = _time.GetTimestamp() + (long)(retryAfter * _time.TimestampFrequency);
        if (global)
        {
            lock (_globalGate)
                _globalBlockedUntil = Math.Max(_globalBlockedUntil, until);
        }
        else
        {
            bucket.Remaining = 0;
            bucket.ResetAt = until;
        }

        NewsBot.Telemetry.NewsBotTelemetry.RecordRateLimited("discord");
        LogRateLimited(route.Template, global, Header(response, "X-RateLimit-Scope") ?? "unknown", retryAfter);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static DiscordApiException Error(RestRoute route, HttpStatusCode status, string text)
    {
        int? code = null;
        var message = status.ToString();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var value))
                code = value;
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { } msg)
                message = msg;
        }
        catch (JsonException)
        {
            // Not Discord's JSON (e.g. a proxy page): the status says enough.
        }

        return new DiscordApiException(status, code, route.Template, message);
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord {Route} answered 429 (global: {Global}, scope: {Scope}); waiting {RetryAfter:0.###} s and sending again")]
    private partial void LogRateLimited(string route, bool global, string scope, double retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord {Route} failed ({Reason}); retry {Attempt}")]
    private partial void LogTransientFailure(string route, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord {Route}: bucket empty, waiting {Milliseconds:0} ms")]
    private partial void LogBucketWait(string route, double milliseconds);

    private sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Remaining { get; set; } = 1;

        public long ResetAt { get; set; }
    }
}
