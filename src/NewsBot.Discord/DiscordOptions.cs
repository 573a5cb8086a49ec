using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord;

/// <summary>Configuration section "Discord". The front end runs only when <see cref="Token"/> is set.</summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    /// <summary>The bot token from the Developer Portal, without the "Bot " prefix. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>The application id; when absent it is read from READY.</summary>
    public ulong? ApplicationId { get; set; }

    /// <summary>When set, slash commands are registered on this guild only (changes apply at once).</summary>
    public ulong? GuildId { get; set; }

    /// <summary>Channels where every message is a question (needs the privileged Message Content intent).</summary>
    public IList<ulong> AskChannelIds { get; } = [];

    public IList<ulong> AdminUserIds { get; } = [];

    public IList<ulong> AdminRoleIds { get; } = [];

    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10");

    /// <summary>Goes into the documented "DiscordBot ($url, $version)" User-Agent.</summary>
    public Uri UserAgentUrl { get; set; } = new("https://github.com/newsbot/newsbot");

    public int ShardId { get; set; }

    public int ShardCount { get; set; } = 1;

    /// <summary>Longest question accepted from /ask (also the option's max_length).</summary>
    public int MaxQuestionLength { get; set; } = 500;

    /// <summary>How often the typing indicator is renewed while an answer is being worked out (it lasts ~10 s).</summary>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How many message questions are worked on at once.</summary>
    public int MaxConcurrentQuestions { get; set; } = 4;

    public DiscordGatewayOptions Gateway { get; set; } = new();

    public DiscordRestOptions Rest { get; set; } = new();

    public DiscordQuestionLimits QuestionLimits { get; set; } = new();

    public DiscordInteractionsEndpointOptions InteractionsEndpoint { get; set; } = new();

    /// <summary>Whether a Discord token is configured, i.e. whether the Discord front end will run.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{SectionName}:{nameof(Token)}"]);

    internal bool NeedsMessageContent => AskChannelIds.Count > 0;
}

/// <summary>Gateway timings; defaults follow Discord's guidance, tests shorten them.</summary>
public sealed class DiscordGatewayOptions
{
    /// <summary>First delay of the reconnect backoff (doubled per failed attempt, with jitter).</summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Random wait before re-identifying after Invalid Session, a guard against identify loops.</summary>
    public TimeSpan ReIdentifyDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReIdentifyDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Window in which at most max_concurrency Identify calls may be sent.</summary>
    public TimeSpan IdentifyWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for Hello after connecting.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Frames sent per connection per minute; Discord's limit is 120, a margin is kept.</summary>
    public int MaxFramesPerMinute { get; set; } = 110;
}

public sealed class DiscordRestOptions
{
    /// <summary>Retries after a 5xx, a timeout or a dropped connection (429s are retried separately).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>How many 429 answers one request may get before it is given up.</summary>
    public int MaxRateLimitRetries { get; set; } = 10;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Bot-authenticated requests per second (Discord's global limit is 50).</summary>
    public int GlobalRequestsPerSecond { get; set; } = 45;
}

/// <summary>Token buckets for questions: a burst size and a steady rate, per user and per channel.</summary>
public sealed class DiscordQuestionLimits
{
    public int UserBurst { get; set; } = 3;

    public double UserPerMinute { get; set; } = 6;

    public int ChannelBurst { get; set; } = 10;

    public double ChannelPerMinute { get; set; } = 30;

    internal NewsBot.Chat.QuestionLimitSettings ToSettings() => new(UserBurst, UserPerMinute, ChannelBurst, ChannelPerMinute);
}

/// <summary>Optional HTTP endpoint that Discord POSTs interactions to (set the same URL in the Developer Portal).</summary>
public sealed class DiscordInteractionsEndpointOptions
{
    public bool Enabled { get; set; }

    /// <summary>Kestrel listen URL, e.g. http://0.0.0.0:8080 behind a TLS-terminating proxy.</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:8080";

    public string Path { get; set; } = "/interactions";

    /// <summary>The application's public key (64 hex characters) from the Developer Portal.</summary>
    public string? PublicKey { get; set; }
}

/// <summary>One-line start-up errors; none of them repeats the token.</summary>
internal sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var errors = new List<string>();
        // Ranges first: a bad number is an error whether or not the front end is configured yet.
        if (options.ShardCount is < 1 or > 65_536)
            errors.Add("Discord:ShardCount must be between 1 and 65536.");
        if (options.ShardId < 0 || options.ShardId >= Math.Max(1, options.ShardCount))
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Discord:ShardId must be between 0 and ShardCount-1 ({options.ShardCount - 1})."));
        if (options.MaxQuestionLength is < 1 or > 6000)
            errors.Add("Discord:MaxQuestionLength must be between 1 and 6000 (Discord's option limit).");
        if (options.MaxConcurrentQuestions is < 1 or > 64)
            errors.Add("Discord:MaxConcurrentQuestions must be between 1 and 64.");
        if (options.TypingInterval <= TimeSpan.Zero || options.TypingInterval > TimeSpan.FromSeconds(10))
            errors.Add("Discord:TypingInterval must be greater than 0 and at most 10 seconds (the indicator lasts about 10 s).");

        var g = options.Gateway;
        if (g.ReconnectDelayMin < TimeSpan.Zero || g.ReconnectDelayMax < g.ReconnectDelayMin)
            errors.Add("Discord:Gateway:ReconnectDelayMin must be >= 0 and not above ReconnectDelayMax.");
        if (g.ReIdentifyDelayMin < TimeSpan.Zero || g.ReIdentifyDelayMax < g.ReIdentifyDelayMin)
            errors.Add("Discord:Gateway:ReIdentifyDelayMin must be >= 0 and not above ReIdentifyDelayMax.");
        if (g.IdentifyWindow < TimeSpan.Zero || g.HelloTimeout <= TimeSpan.Zero)
            errors.Add("Discord:Gateway:IdentifyWindow must be >= 0 and HelloTimeout > 0.");
        if (g.MaxFramesPerMinute is < 10 or > 120)
            errors.Add("Discord:Gateway:MaxFramesPerMinute must be between 10 and 120 (Discord closes the connection above 120).");

        var r = options.Rest;
        if (r.MaxRetries is < 0 or > 20 || r.MaxRateLimitRetries is < 0 or > 100 || r.RetryBaseDelay < TimeSpan.Zero || r.RequestTimeout <= TimeSpan.Zero)
            errors.Add("Discord:Rest: MaxRetries must be between 0 and 20, MaxRateLimitRetries between 0 and 100, delays not negative and RequestTimeout positive.");
        if (r.GlobalRequestsPerSecond is < 1 or > 50)
            errors.Add("Discord:Rest:GlobalRequestsPerSecond must be between 1 and 50 (Discord's global limit).");

        var q = options.QuestionLimits;
        // Written so that NaN fails too.
        if (q.UserBurst is < 1 or > 1000 || q.ChannelBurst is < 1 or > 1000 || !(q.UserPerMinute is > 0 and <= 6000) || !(q.ChannelPerMinute is > 0 and <= 6000))
            errors.Add("Discord:QuestionLimits: bursts must be between 1 and 1000 and rates per minute more than 0 and at most 6000.");

        if (!string.IsNullOrWhiteSpace(options.Token))
            AddConnectionErrors(options, options.Token.Trim(), errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What only a configured front end (one with a token) needs right.</summary>
    private static void AddConnectionErrors(DiscordOptions options, string token, List<string> errors)
    {
        if (token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) || token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            errors.Add("Discord:Token must be the bare bot token, without a 'Bot ' or 'Bearer ' prefix.");
        else if (token.Any(char.IsWhiteSpace))
            errors.Add("Discord:Token contains whitespace; paste the bot token from the Developer Portal's Bot page.");

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
            errors.Add("Discord:ApiBaseUrl must be an absolute http(s) URL such as https://discord.com/api/v10.");

        var e = options.InteractionsEndpoint;
        if (e.Enabled)
        {
            if (e.PublicKey is null || e.PublicKey.Length != 64 || !e.PublicKey.All(char.IsAsciiHexDigit))
                errors.Add("Discord:InteractionsEndpoint:PublicKey must be the application's 64-character hex public key from the Developer Portal.");
            if (!Uri.TryCreate(e.ListenUrl, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
                errors.Add("Discord:InteractionsEndpoint:ListenUrl must be an absolute http(s) URL such as http://0.0.0.0:8080.");
            if (!e.Path.StartsWith('/'))
                errors.Add("Discord:InteractionsEndpoint:Path must start with '/'.");
        }
    }
}
