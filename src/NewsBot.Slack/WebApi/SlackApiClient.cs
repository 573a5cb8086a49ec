using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Resilience;

namespace NewsBot.Slack.WebApi;

/// <summary>Which token authenticates a call: the bot token for everything but apps.connections.open.</summary>
internal enum SlackToken
{
    Bot,
    App,
}

/// <summary>
/// Slack's Web API over one HttpClient: POST {ApiBaseUrl}{method} with a bearer token, JSON bodies for
/// write methods and form bodies for the rest. A 429 is waited out (Retry-After) and the same call sent
/// again, so nothing is lost or doubled; 5xx, timeouts and dropped connections are retried a bounded
/// number of times with backoff; ok:false is logged with the method and Slack's error code.
/// </summary>
internal sealed partial class SlackApiClient : IDisposable
{
    private static readonly HashSet<string> AuthErrors = ["invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed", "invalid_token", "not_allowed_token_type"];
    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackApiClient> _logger;

    public SlackApiClient(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackApiClient> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var baseUrl = _options.ApiBaseUrl.ToString();
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            // Per-attempt timeouts are applied in SendAsync so that they can be retried.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    private readonly TaskCompletionSource<string> _botTokenRejected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once Slack rejects the bot token; every later call fails at once instead of hammering Slack.</summary>
    public string? AuthFailure => _botTokenRejected.Task.IsCompleted ? _botTokenRejected.Task.Result : null;

    /// <summary>Completes with Slack's error code when it first rejects the bot token (revoked, app uninstalled).</summary>
    public Task<string> BotTokenRejected => _botTokenRejected.Task;

    /// <summary>The bot token's scopes, from the X-OAuth-Scopes header of the last bot call that carried it.</summary>
    public IReadOnlySet<string>? BotScopes { get; private set; }

    public static bool IsAuthError(string error) => AuthErrors.Contains(error);

    /// <summary>A write method with a JSON body (chat.postMessage).</summary>
    public Task<JsonElement> CallJsonAsync(string method, JsonObject body, CancellationToken cancellationToken) =>
        CallAsync(method, SlackToken.Bot, () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>A method with form arguments (auth.test, users.info, apps.connections.open).</summary>
    public Task<JsonElement> CallFormAsync(string method, SlackToken token, IReadOnlyDictionary<string, string>? arguments, CancellationToken cancellationToken) =>
        CallAsync(method, token, () => new FormUrlEncodedContent(arguments ?? new Dictionary<string, string>()), cancellationToken);

    /// <summary>
    /// Posts a message to a slash command's response_url (no token: the URL is the credential, so it is never logged either).
    /// </summary>
    public async Task PostToResponseUrlAsync(Uri responseUrl, JsonObject message, CancellationToken cancellationToken)
    {
        const string what = "response_url";
        await SendWithRetriesAsync(what, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, responseUrl)
            {
                Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            return request;
        }, cancellationToken);
    }

    private async Task<JsonElement> CallAsync(string method, SlackToken token, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        if (token == SlackToken.Bot && AuthFailure is { } failure)
            throw new SlackApiException(method, failure, "the bot token was rejected earlier; fix Slack:BotToken and restart");

        var bearer = token == SlackToken.App ? _options.AppToken! : _options.BotToken!;
        var (text, scopes) = await SendWithRetriesAsync(method, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Trim());
            return request;
        }, cancellationToken);
        if (token == SlackToken.Bot && scopes is not null)
            BotScopes = scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            LogNotJson(method);
            throw new SlackApiException(method, "invalid_response", "the answer was not JSON");
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            if (root.TryGetProperty("warning", out var warning) && warning.GetString() is { } w)
                LogWarning(method, w);
            return root;
        }

        var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.GetString() is { } code ? code : "unknown_error";
        LogNotOk(method, error);
        if (token == SlackToken.Bot && IsAuthError(error))
            _botTokenRejected.TrySetResult(error);
        throw new SlackApiException(method, error);
    }

    private async Task<(string Text, string? Scopes)> SendWithRetriesAsync(string what, Func<HttpRequestMessage> newRequest, CancellationToken cancellationToken)
    {
        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            HttpResponseMessage response;
            using (var request = newRequest())
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(_options.WebApi.RequestTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException)
                {
                    if (++failures > _options.WebApi.MaxRetries)
                        throw new SlackApiException(what, ex is OperationCanceledException ? "timeout" : "connection_failed", ex.Message);
                    LogTransientFailure(what, ex is OperationCanceledException ? "timeout" : ex.GetType().Name, failures);
                    await Task.Delay(Backoff(failures), _time, cancellationToken);
                    continue;
                }
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                    return (text, response.Headers.TryGetValues("X-OAuth-Scopes", out var scopes) ? string.Join(',', scopes) : null);

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    if (++rateLimited > _options.WebApi.MaxRateLimitRetries)
                        throw new SlackApiException(what, "ratelimited", "still rate limited after the configured number of retries");
                    var wait = RetryAfter(response);
                    NewsBot.Telemetry.NewsBotTelemetry.RecordRateLimited("slack");
                    LogRateLimited(what, wait.TotalSeconds);
                    await _time.DelayAtLeastAsync(wait, cancellationToken);
                    continue;
                }

                var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                if ((int)response.StatusCode >= 500)
                {
                    if (++failures > _options.WebApi.MaxRetries)
                        throw new SlackApiException(what, "http_" + status);
                    LogTransientFailure(what, status, failures);
                    await Task.Delay(Backoff(failures), _time, cancellationToken);
                    continue;
                }

                LogHttpError(what, status);
                throw new SlackApiException(what, "http_" + status);
            }
        }
    }

    /// <summary>Slack gives Retry-After in whole seconds; a missing or odd header waits one second.</summary>
    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (header.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        return TimeSpan.FromSeconds(1);
    }

    private TimeSpan Backoff(int failures)
    {
        var exponential = _options.WebApi.RetryBaseDelay * Math.Pow(2, failures - 1);
        return exponential * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered 429; waiting {Seconds:0.###} s (Retry-After) and sending again")]
    private partial void LogRateLimited(string method, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} failed ({Reason}); retry {Attempt}")]
    private partial void LogTransientFailure(string method, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} answered HTTP {Status}")]
    private partial void LogHttpError(string method, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} returned ok:false, error {Error}")]
    private partial void LogNotOk(string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} warning: {Warning}")]
    private partial void LogWarning(string method, string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} answered something that is not JSON")]
    private partial void LogNotJson(string method);
}
