namespace NewsBot.Discord.Rest;

/// <summary>
/// A REST call: the concrete path plus the route template and top-level resource id that Discord
/// keys its rate-limit buckets on. <see cref="Template"/> is what logs and errors show.
/// </summary>
/// <param name="CountsGlobally">Interaction callbacks and webhook follow-ups are not bound by the global limit: neither the 50/s nor a global 429.</param>
/// <param name="Authenticated">Whether to send the bot token; interaction routes are authorised by the token in the path.</param>
internal sealed record RestRoute(HttpMethod Method, string Template, string MajorId, string Path, bool CountsGlobally = true, bool Authenticated = true)
{
    public static RestRoute GatewayBot() => new(HttpMethod.Get, "GET /gateway/bot", "", "gateway/bot");

    public static RestRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "POST /channels/{channel_id}/messages", channelId, $"channels/{channelId}/messages");

    public static RestRoute TriggerTyping(string channelId) =>
        new(HttpMethod.Post, "POST /channels/{channel_id}/typing", channelId, $"channels/{channelId}/typing");

    public static RestRoute BulkOverwriteGlobalCommands(string applicationId) =>
        new(HttpMethod.Put, "PUT /applications/{application_id}/commands", applicationId, $"applications/{applicationId}/commands");

    public static RestRoute BulkOverwriteGuildCommands(string applicationId, string guildId) =>
        new(HttpMethod.Put, "PUT /applications/{application_id}/guilds/{guild_id}/commands", guildId, $"applications/{applicationId}/guilds/{guildId}/commands");

    public static RestRoute InteractionCallback(string interactionId, string token) =>
        new(HttpMethod.Post, "POST /interactions/{interaction_id}/{token}/callback", interactionId, $"interactions/{interactionId}/{token}/callback", CountsGlobally: false, Authenticated: false);

    public static RestRoute EditOriginalResponse(string applicationId, string token) =>
        new(HttpMethod.Patch, "PATCH /webhooks/{application_id}/{token}/messages/@original", applicationId + token, $"webhooks/{applicationId}/{token}/messages/@original", CountsGlobally: false, Authenticated: false);

    public static RestRoute CreateFollowup(string applicationId, string token) =>
        new(HttpMethod.Post, "POST /webhooks/{application_id}/{token}", applicationId + token, $"webhooks/{applicationId}/{token}", CountsGlobally: false, Authenticated: false);
}
