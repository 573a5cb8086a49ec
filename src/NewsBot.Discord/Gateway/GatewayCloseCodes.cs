namespace NewsBot.Discord.Gateway;

internal enum ReconnectPlan
{
    /// <summary>Open a new socket to resume_gateway_url and send Resume.</summary>
    Resume,

    /// <summary>Forget the session; connect to the /gateway/bot URL and Identify.</summary>
    Identify,

    /// <summary>Reconnecting cannot help: the owner must change something.</summary>
    Stop,
}

/// <summary>Discord's gateway close-code table, with what NewsBot does and what the owner should fix.</summary>
internal static class GatewayCloseCodes
{
    public static (ReconnectPlan Plan, string? Advice) Classify(int? code) => code switch
    {
        4003 or 4007 or 4009 => (ReconnectPlan.Identify, null),
        4004 => (ReconnectPlan.Stop, TokenAdvice),
        4010 => (ReconnectPlan.Stop, "invalid shard: Discord:ShardId must be between 0 and Discord:ShardCount - 1."),
        4011 => (ReconnectPlan.Stop, "sharding required: the bot is in too many guilds for one connection. Raise Discord:ShardCount and run one NewsBot per shard."),
        4012 => (ReconnectPlan.Stop, "invalid API version: Discord:ApiBaseUrl must point at /api/v10."),
        4013 => (ReconnectPlan.Stop, "invalid intents: Discord rejected the intent bits NewsBot sent. This is a NewsBot bug; please report it."),
        4014 => (ReconnectPlan.Stop, "disallowed intents: enable the Message Content intent in Developer Portal > Bot > Privileged Gateway Intents, or remove Discord:AskChannelIds (mentions, DMs and slash commands work without it)."),
        _ => (ReconnectPlan.Resume, null),
    };

    /// <summary>What to tell the owner when a WebSocket close code ends the front end.</summary>
    public static string Refusal(int? code, string advice) => $"Discord closed the gateway with close code {code}: {advice}";

    /// <summary>What to tell the owner when an HTTP 401 (the REST API, not the gateway) ends the front end.</summary>
    public static string TokenRejected(string route) =>
        $"Discord answered HTTP 401 Unauthorized to {route}: {TokenAdvice}";

    private const string TokenAdvice = "authentication failed: Discord:Token is wrong or was reset. Copy a fresh token from Developer Portal > Bot > Reset Token.";

    /// <summary>Codes that mean NewsBot sent something wrong; worth a louder log line.</summary>
    public static bool IsOurBug(int? code) => code is 4001 or 4002 or 4005;

    /// <summary>Closing with this keeps the session resumable (1000/1001 would end it).</summary>
    public const int ResumableClose = 4000;
}
