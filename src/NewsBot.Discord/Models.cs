using System.Text.Json;

namespace NewsBot.Discord;

// Incoming payloads: only the fields NewsBot uses; Discord sends many more, which are ignored.
// Snowflakes stay strings as Discord sends them.

internal sealed record DiscordUser(string Id, string? Username = null, bool? Bot = null);

internal sealed record DiscordMember(DiscordUser? User = null, IReadOnlyList<string>? Roles = null, string? Permissions = null);

internal sealed record DiscordMessage(
    string Id,
    string ChannelId,
    DiscordUser Author,
    string? GuildId = null,
    string? Content = null,
    IReadOnlyList<DiscordUser>? Mentions = null,
    string? WebhookId = null,
    int Type = 0,
    int? ChannelType = null,
    int? Flags = null);

internal sealed record ReadyEvent(DiscordUser User, string SessionId, string ResumeGatewayUrl, ReadyApplication? Application = null);

internal sealed record ReadyApplication(string Id);

internal sealed record GatewayBotResponse(string Url, int Shards, SessionStartLimit SessionStartLimit);

internal sealed record SessionStartLimit(int Total, int Remaining, long ResetAfter, int MaxConcurrency);

internal sealed record Interaction(
    string Id,
    string ApplicationId,
    int Type,
    string Token,
    InteractionData? Data = null,
    string? GuildId = null,
    string? ChannelId = null,
    DiscordMember? Member = null,
    DiscordUser? User = null)
{
    public DiscordUser? Invoker => Member?.User ?? User;
}

internal sealed record InteractionData(string Name, IReadOnlyList<InteractionOption>? Options = null);

internal sealed record InteractionOption(string Name, int Type, JsonElement? Value = null, IReadOnlyList<InteractionOption>? Options = null, bool? Focused = null);

internal static class InteractionTypes
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int Autocomplete = 4;
}

internal static class CallbackTypes
{
    public const int Pong = 1;
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int AutocompleteResult = 8;
}

internal static class MessageFlags
{
    public const int Ephemeral = 64;
}

// Outgoing bodies.

/// <summary>Pings nobody: no @everyone/@here, no roles, no users, not even the replied-to author.</summary>
/// <param name="Users">Users who may be pinged even though <paramref name="Parse"/> does not name "users".</param>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse, bool? RepliedUser = null, IReadOnlyList<string>? Users = null)
{
    public static AllowedMentions None { get; } = new([], false);
}

internal sealed record MessageReference(string MessageId, bool? FailIfNotExists = null);

internal sealed record EmbedField(string Name, string Value, bool? Inline = null);

internal sealed record EmbedFooter(string Text);

internal sealed record Embed(string? Title = null, string? Description = null, IReadOnlyList<EmbedField>? Fields = null, EmbedFooter? Footer = null, int? Color = null);

internal sealed record MessageCreate(
    string? Content,
    IReadOnlyList<Embed>? Embeds,
    AllowedMentions AllowedMentions,
    MessageReference? MessageReference = null,
    string? Nonce = null,
    bool? EnforceNonce = null);

/// <summary>Body for editing the original interaction response or sending a follow-up.</summary>
internal sealed record WebhookMessage(string? Content, IReadOnlyList<Embed>? Embeds, AllowedMentions AllowedMentions, int? Flags = null);

internal sealed record CommandChoice(string Name, string Value);

internal sealed record InteractionCallbackData(
    string? Content = null,
    IReadOnlyList<Embed>? Embeds = null,
    AllowedMentions? AllowedMentions = null,
    int? Flags = null,
    IReadOnlyList<CommandChoice>? Choices = null);

internal sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null)
{
    public static InteractionResponse Pong { get; } = new(CallbackTypes.Pong);

    public static InteractionResponse Defer(bool ephemeral) =>
        new(CallbackTypes.DeferredChannelMessage, ephemeral ? new InteractionCallbackData(Flags: MessageFlags.Ephemeral) : null);

    public static InteractionResponse Message(string content, bool ephemeral, IReadOnlyList<Embed>? embeds = null) =>
        new(CallbackTypes.ChannelMessage, new InteractionCallbackData(content, embeds, AllowedMentions.None, ephemeral ? MessageFlags.Ephemeral : null));
}

internal sealed record ApplicationCommandOption(
    int Type,
    string Name,
    string Description,
    bool? Required = null,
    int? MinLength = null,
    int? MaxLength = null,
    bool? Autocomplete = null,
    IReadOnlyList<CommandChoice>? Choices = null);

internal sealed record ApplicationCommand(
    string Name,
    string Description,
    int Type = 1,
    IReadOnlyList<ApplicationCommandOption>? Options = null,
    string? DefaultMemberPermissions = null,
    IReadOnlyList<int>? Contexts = null,
    IReadOnlyList<int>? IntegrationTypes = null);
