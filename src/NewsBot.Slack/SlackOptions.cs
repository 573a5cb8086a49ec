using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NewsBot.Chat;

namespace NewsBot.Slack;

/// <summary>
/// Configuration section "Slack". The front end runs when <see cref="BotToken"/> is set: in Socket Mode
/// with <see cref="AppToken"/>, or in HTTP mode with <see cref="HttpEndpoint"/> enabled and <see cref="SigningSecret"/>.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The bot user OAuth token (xoxb-…) for the Web API. Never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (xapp-…, scope connections:write) that opens Socket Mode connections. Never logged.</summary>
    public string? AppToken { get; set; }

    /// <summary>Verifies the v0 signature of HTTP-mode requests. Never logged.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Every Web API method is called at {ApiBaseUrl}{method}.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Users (U…/W… ids) allowed to run /reload besides workspace admins and owners.</summary>
    public IList<string> AdminUserIds { get; } = [];

    /// <summary>Channels where every message is a question (needs the channels:history scope and the message.channels event).</summary>
    public IList<string> AskChannelIds { get; } = [];

    /// <summary>Longest question accepted.</summary>
    public int MaxQuestionLength { get; set; } = 500;

    /// <summary>How many questions are worked on at once.</summary>
    public int MaxConcurrentQuestions { get; set; } = 4;

    public SlackHttpEndpointOptions HttpEndpoint { get; set; } = new();

    public SlackSocketModeOptions SocketMode { get; set; } = new();

    public SlackWebApiOptions WebApi { get; set; } = new();

    public SlackQuestionLimits QuestionLimits { get; set; } = new();

    /// <summary>Whether a bot token is configured, i.e. whether the Slack front end will run.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SectionName}:{nameof(BotToken)}"]);

    /// <summary>HTTP mode when the endpoint is enabled, Socket Mode otherwise.</summary>
    internal bool UsesHttpMode => HttpEndpoint.Enabled;
}

/// <summary>HTTP mode: Slack POSTs events to {ListenUrl}/slack/events and slash commands to {ListenUrl}/slack/commands.</summary>
public sealed class SlackHttpEndpointOptions
{
    public bool Enabled { get; set; }

    /// <summary>Kestrel listen URL; put a TLS-terminating proxy or load balancer in front.</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Requests whose X-Slack-Request-Timestamp is further than this from now are refused (replay protection).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Socket Mode reconnect timings; the defaults suit Slack, tests shorten them.</summary>
public sealed class SlackSocketModeOptions
{
    /// <summary>First delay of the reconnect backoff after a failure (doubled per failed attempt, with jitter).</summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the hello message after connecting.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often NewsBot pings Slack over the WebSocket. A connection can go half-open (a NAT or proxy drops it without a
    /// FIN): nothing arrives and nothing fails, and the bot would stay deaf until restarted.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a ping may go without its pong before the connection is dropped and a new one opened.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class SlackWebApiOptions
{
    /// <summary>Retries after a 5xx, a timeout or a dropped connection (429s are waited out separately).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How many 429 answers one call may get before it is given up.</summary>
    public int MaxRateLimitRetries { get; set; } = 10;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Token buckets for questions: a burst size and a steady rate, per user and per channel.</summary>
public sealed class SlackQuestionLimits
{
    public int UserBurst { get; set; } = 3;

    public double UserPerMinute { get; set; } = 6;

    public int ChannelBurst { get; set; } = 10;

    public double ChannelPerMinute { get; set; } = 30;

    internal QuestionLimitSettings ToSettings() => new(UserBurst, UserPerMinute, ChannelBurst, ChannelPerMinute);
}

/// <summary>One-line start-up errors naming the key; none of them repeats a token or the signing secret.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var errors = new List<string>();
        // Ranges first: a bad number is an error whether or not the front end is configured yet.
        if (options.MaxQuestionLength is < 1 or > 4000)
            errors.Add("Slack:MaxQuestionLength must be between 1 and 4000.");
        if (options.MaxConcurrentQuestions is < 1 or > 256)
            errors.Add("Slack:MaxConcurrentQuestions must be between 1 and 256.");
        if (options.AdminUserIds.Any(string.IsNullOrWhiteSpace) || options.AskChannelIds.Any(string.IsNullOrWhiteSpace))
            errors.Add("Slack:AdminUserIds and Slack:AskChannelIds must not contain empty ids.");

        var s = options.SocketMode;
        if (s.ReconnectDelayMin < TimeSpan.Zero || s.ReconnectDelayMax < s.ReconnectDelayMin || s.HelloTimeout <= TimeSpan.Zero)
            errors.Add("Slack:SocketMode:ReconnectDelayMin must be >= 0 and not above ReconnectDelayMax, and HelloTimeout > 0.");
        if (s.PingInterval <= TimeSpan.Zero || s.PongTimeout <= TimeSpan.Zero)
            errors.Add("Slack:SocketMode:PingInterval and PongTimeout must be positive.");

        var w = options.WebApi;
        if (w.MaxRetries is < 0 or > 20 || w.MaxRateLimitRetries is < 0 or > 100 || w.RetryBaseDelay < TimeSpan.Zero || w.RequestTimeout <= TimeSpan.Zero)
            errors.Add("Slack:WebApi:MaxRetries must be between 0 and 20, MaxRateLimitRetries between 0 and 100, delays not negative and RequestTimeout positive.");

        var q = options.QuestionLimits;
        if (q.UserBurst is < 1 or > 1000 || q.ChannelBurst is < 1 or > 1000
            || !(q.UserPerMinute is > 0 and <= 10_000) || !(q.ChannelPerMinute is > 0 and <= 10_000))
            errors.Add("Slack:QuestionLimits bursts must be between 1 and 1000 and rates between 0 (exclusive) and 10000 a minute.");

        var bot = options.BotToken?.Trim();
        var app = options.AppToken?.Trim();
        var endpoint = options.HttpEndpoint;
        if (string.IsNullOrEmpty(bot))
        {
            if (!string.IsNullOrEmpty(app))
                errors.Add("Slack:AppToken is set but Slack:BotToken is not; set the bot token (xoxb-…, OAuth & Permissions page) too.");
            if (endpoint.Enabled)
                errors.Add("Slack:HttpEndpoint:Enabled is true but Slack:BotToken is not set; set the bot token (xoxb-…, OAuth & Permissions page).");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (!bot.StartsWith("xoxb-", StringComparison.Ordinal))
            errors.Add("Slack:BotToken must be a bot token starting with 'xoxb-' (OAuth & Permissions > Bot User OAuth Token).");
        else if (bot.Any(char.IsWhiteSpace))
            errors.Add("Slack:BotToken contains whitespace; paste the Bot User OAuth Token exactly.");

        if (endpoint.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.SigningSecret))
                errors.Add("Slack:SigningSecret is required when Slack:HttpEndpoint:Enabled is true (Basic Information > App Credentials > Signing Secret).");
            else if (options.SigningSecret.Trim().Any(char.IsWhiteSpace))
                errors.Add("Slack:SigningSecret contains whitespace; paste the Signing Secret exactly.");
            if (!Uri.TryCreate(endpoint.ListenUrl, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
                errors.Add("Slack:HttpEndpoint:ListenUrl must be an absolute http(s) URL such as http://127.0.0.1:8081.");
            if (endpoint.MaxClockSkew <= TimeSpan.Zero)
                errors.Add("Slack:HttpEndpoint:MaxClockSkew must be positive.");
        }
        else if (string.IsNullOrEmpty(app))
        {
            errors.Add("Slack:BotToken is set but there is no way to receive events: set Slack:AppToken (xapp-…, Socket Mode) or Slack:HttpEndpoint:Enabled=true with Slack:SigningSecret (HTTP mode).");
        }

        if (!string.IsNullOrEmpty(app) && !app.StartsWith("xapp-", StringComparison.Ordinal))
            errors.Add("Slack:AppToken must be an app-level token starting with 'xapp-' (Basic Information > App-Level Tokens, scope connections:write).");

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
            errors.Add("Slack:ApiBaseUrl must be an absolute http(s) URL such as https://slack.com/api/.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
