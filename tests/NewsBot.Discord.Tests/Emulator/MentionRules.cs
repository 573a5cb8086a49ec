using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>Who a message would notify, following Discord's allowed_mentions rules.</summary>
public static partial class MentionRules
{
    public static IReadOnlyList<string> Pings(JsonObject body, bool webhook, string? repliedAuthorId)
    {
        var content = (string?)body["content"] ?? "";
        var allowed = body["allowed_mentions"] as JsonObject;

        // Without allowed_mentions a normal message parses everything; webhooks and interactions parse users only.
        var parse = allowed is null
            ? (webhook ? ["users"] : new[] { "users", "roles", "everyone" })
            : (allowed["parse"]?.AsArray().Select(p => (string?)p ?? "").ToArray() ?? []);
        var users = allowed?["users"]?.AsArray().Select(u => (string?)u ?? "").ToHashSet() ?? [];
        var roles = allowed?["roles"]?.AsArray().Select(r => (string?)r ?? "").ToHashSet() ?? [];

        var pings = new List<string>();
        if (parse.Contains("everyone") && EveryoneRegex().IsMatch(content))
            pings.Add("@everyone/@here");
        foreach (Match m in UserRegex().Matches(content))
        {
            if (parse.Contains("users") || users.Contains(m.Groups[1].Value))
                pings.Add("user:" + m.Groups[1].Value);
        }

        foreach (Match m in RoleRegex().Matches(content))
        {
            if (parse.Contains("roles") || roles.Contains(m.Groups[1].Value))
                pings.Add("role:" + m.Groups[1].Value);
        }

        var repliedUser = allowed is null ? !webhook : (bool?)allowed["replied_user"] == true;
        if (repliedAuthorId is not null && body["message_reference"] is not null && repliedUser)
            pings.Add("replied:" + repliedAuthorId);
        return pings;
    }

    [GeneratedRegex("@(everyone|here)")]
    private static partial Regex EveryoneRegex();

    [GeneratedRegex("<@!?(\\d+)>")]
    private static partial Regex UserRegex();

    [GeneratedRegex("<@&(\\d+)>")]
    private static partial Regex RoleRegex();
}
