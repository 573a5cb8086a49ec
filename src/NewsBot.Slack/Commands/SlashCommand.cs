using System.Text.Json;

namespace NewsBot.Slack.Commands;

/// <summary>
/// A slash command invocation: the same fields whether it came as a Socket Mode slash_commands payload
/// (JSON) or as an HTTP form post.
/// </summary>
internal sealed record SlashCommand(string Command, string Text, string UserId, string ChannelId, string? TeamId, Uri ResponseUrl)
{
    /// <summary>When NewsBot received it (a <see cref="TimeProvider"/> timestamp): its response_url lasts 30 minutes from then.</summary>
    public long ReceivedAt { get; init; }

    /// <summary>The name without its slash, e.g. "ask".</summary>
    public string Name => Command.TrimStart('/').ToLowerInvariant();

    public static SlashCommand? FromJson(JsonElement payload)
    {
        string? Get(string name) => payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return Create(Get("command"), Get("text"), Get("user_id"), Get("channel_id"), Get("team_id"), Get("response_url"));
    }

    public static SlashCommand? FromForm(IReadOnlyDictionary<string, string> form) =>
        Create(form.GetValueOrDefault("command"), form.GetValueOrDefault("text"), form.GetValueOrDefault("user_id"),
            form.GetValueOrDefault("channel_id"), form.GetValueOrDefault("team_id"), form.GetValueOrDefault("response_url"));

    private static SlashCommand? Create(string? command, string? text, string? user, string? channel, string? team, string? responseUrl) =>
        command is null || user is null || channel is null || !Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")
            ? null
            : new SlashCommand(command, text ?? "", user, channel, team, url);
}
