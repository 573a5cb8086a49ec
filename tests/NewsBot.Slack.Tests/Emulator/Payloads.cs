using System.Globalization;
using System.Text.Json.Nodes;

namespace NewsBot.Slack.Tests.Emulator;

/// <summary>Events API and slash command payloads shaped as Slack's docs show them.</summary>
public static class Payloads
{
    private static int _nextEvent;

    public static string NewEventId() => "Ev0" + Interlocked.Increment(ref _nextEvent).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The outer event_callback wrapper around one event.</summary>
    public static JsonObject Callback(JsonObject inner, string? eventId = null) => new()
    {
        ["token"] = "XXYYZZ-verification-token-unused",
        ["team_id"] = SlackEmulator.TeamId,
        ["api_app_id"] = SlackEmulator.AppId,
        ["event"] = inner,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? NewEventId(),
        ["event_time"] = 1_764_400_000,
        ["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = null,
            ["team_id"] = SlackEmulator.TeamId,
            ["user_id"] = SlackEmulator.BotUserId,
            ["is_bot"] = true,
            ["is_enterprise_install"] = false,
        }),
        ["is_ext_shared_channel"] = false,
        ["event_context"] = "4-emulated-context",
    };

    public static JsonObject AppMention(string ts, string text, string user = SlackEmulator.UserId, string channel = SlackEmulator.ChannelId) => new()
    {
        ["type"] = "app_mention",
        ["user"] = user,
        ["text"] = text,
        ["ts"] = ts,
        ["channel"] = channel,
        ["event_ts"] = ts,
        ["client_msg_id"] = Guid.NewGuid().ToString(),
        ["team"] = SlackEmulator.TeamId,
    };

    public static JsonObject Message(string ts, string text, string channel, string channelType, string user = SlackEmulator.UserId) => new()
    {
        ["type"] = "message",
        ["channel"] = channel,
        ["user"] = user,
        ["text"] = text,
        ["ts"] = ts,
        ["event_ts"] = ts,
        ["channel_type"] = channelType,
        ["client_msg_id"] = Guid.NewGuid().ToString(),
        ["team"] = SlackEmulator.TeamId,
    };

    public static JsonObject Mention(SlackEmulator slack, string question, out string ts, string user = SlackEmulator.UserId)
    {
        ts = slack.NextTs();
        return Callback(AppMention(ts, $"<@{SlackEmulator.BotUserId}> {question}", user));
    }

    public static JsonObject DirectMessage(SlackEmulator slack, string text, out string ts, string user = SlackEmulator.UserId)
    {
        ts = slack.NextTs();
        return Callback(Message(ts, text, SlackEmulator.DmChannelId, "im", user));
    }

    /// <summary>A slash command as Socket Mode delivers it (the same fields as the HTTP form post).</summary>
    public static JsonObject SlashCommand(SlackEmulator slack, string command, string text, string user = SlackEmulator.UserId) => new()
    {
        ["token"] = "XXYYZZ-verification-token-unused",
        ["team_id"] = SlackEmulator.TeamId,
        ["team_domain"] = "newsroom",
        ["channel_id"] = SlackEmulator.ChannelId,
        ["channel_name"] = "news-desk",
        ["user_id"] = user,
        ["user_name"] = user.ToLowerInvariant(),
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = SlackEmulator.AppId,
        ["is_enterprise_install"] = "false",
        ["response_url"] = slack.NewResponseUrl().ToString(),
        ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
    };

    public static string ResponseId(JsonObject command) => ((string)command["response_url"]!).Split('/').Last();
}
