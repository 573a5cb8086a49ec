using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Slack.WebApi;

namespace NewsBot.Slack.Commands;

/// <summary>
/// Who may run /reload: users listed in Slack:AdminUserIds, and workspace admins and owners according to
/// users.info. Slack cannot hide a slash command from non-admins, so this check is the only gate.
/// </summary>
internal sealed partial class AdminPolicy(SlackApiClient api, IOptions<SlackOptions> options, ILogger<AdminPolicy> logger)
{
    private readonly HashSet<string> _admins = [.. options.Value.AdminUserIds.Select(u => u.Trim())];

    public async Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        if (_admins.Contains(userId))
            return true;
        try
        {
            var info = await api.CallFormAsync("users.info", SlackToken.Bot, new Dictionary<string, string> { ["user"] = userId }, cancellationToken);
            return info.TryGetProperty("user", out var user) && (Flag(user, "is_admin") || Flag(user, "is_owner") || Flag(user, "is_primary_owner"));
        }
        catch (SlackApiException ex)
        {
            // Without an answer nobody is taken for an admin.
            LogLookupFailed(userId, ex.Error);
            return false;
        }
    }

    private static bool Flag(JsonElement user, string name) =>
        user.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether user {UserId} is a workspace admin (users.info: {Error}); treating them as not one")]
    private partial void LogLookupFailed(string userId, string error);
}
