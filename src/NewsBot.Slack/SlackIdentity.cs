namespace NewsBot.Slack;

/// <summary>Who the bot is in the workspace, learned from auth.test at start-up.</summary>
internal sealed class SlackIdentity
{
    public string? BotUserId { get; set; }

    public string? BotId { get; set; }

    public string? TeamId { get; set; }
}
