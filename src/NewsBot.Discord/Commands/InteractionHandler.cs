using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.Messages;
using NewsBot.Discord.Rest;
using NewsBot.Ingestion;
using NewsBot.Summaries;

namespace NewsBot.Discord.Commands;

/// <summary>How the first answer to an interaction travels: a callback POST (Gateway) or the HTTP response itself.</summary>
internal interface IInteractionResponder
{
    Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken);
}

/// <summary>Gateway interactions are answered through the callback route.</summary>
internal sealed class CallbackResponder(DiscordRestClient rest, Interaction interaction) : IInteractionResponder
{
    public Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken) =>
        rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, response, cancellationToken);
}

/// <summary>
/// Slash commands and autocomplete. Anything that waits on the engine is deferred at once (the
/// first response must come within 3 s) and completed by editing the original response; input
/// errors and refusals are ephemeral.
/// </summary>
internal sealed partial class InteractionHandler(
    INewsBotEngine engine,
    DiscordRestClient rest,
    AdminPolicy admins,
    QuestionRateLimiter limiter,
    TimeProvider time,
    IOptions<DiscordOptions> options,
    ILogger<InteractionHandler> logger)
{
    /// <summary>
    /// How long after its receipt an interaction's token is still used. Discord honours it for 15 minutes from the
    /// interaction's creation; the minute less covers the delivery to NewsBot and the request itself.
    /// </summary>
    public static readonly TimeSpan TokenUsableFor = TimeSpan.FromMinutes(14);

    private const int InvalidWebhookToken = 50027;
    private const int UnknownWebhook = 10015;
    private const int MaxChoices = 25;
    private const int MaxChoiceLength = 100;
    private readonly int _maxQuestionLength = options.Value.MaxQuestionLength;

    public async Task HandleAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        var received = time.GetTimestamp();
        try
        {
            switch (interaction.Type)
            {
                case InteractionTypes.Ping:
                    await responder.RespondAsync(InteractionResponse.Pong, cancellationToken);
                    break;
                case InteractionTypes.Autocomplete:
                    await responder.RespondAsync(Autocomplete(interaction), cancellationToken);
                    break;
                case InteractionTypes.ApplicationCommand:
                    await CommandAsync(interaction, responder, received, cancellationToken);
                    break;
                default:
                    LogUnhandled(interaction.Type);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, interaction.Data?.Name ?? "?");
        }
    }

    private Task CommandAsync(Interaction interaction, IInteractionResponder responder, long received, CancellationToken cancellationToken) =>
        interaction.Data?.Name switch
        {
            SlashCommands.Ask => AskAsync(interaction, responder, received, cancellationToken),
            SlashCommands.Summary => SummaryAsync(interaction, responder, received, cancellationToken),
            SlashCommands.Sources => responder.RespondAsync(InteractionResponse.Message(ReplyComposer.SourcesList(engine.ListSources(), engine.IndexNotice()), ephemeral: false), cancellationToken),
            SlashCommands.Reload => ReloadAsync(interaction, responder, received, cancellationToken),
            var name => responder.RespondAsync(InteractionResponse.Message($"Unknown command /{name}.", ephemeral: true), cancellationToken),
        };

    private async Task AskAsync(Interaction interaction, IInteractionResponder responder, long received, CancellationToken cancellationToken)
    {
        var question = StringOption(interaction, "question")?.Trim() ?? "";
        if (question.Length == 0)
        {
            await responder.RespondAsync(InteractionResponse.Message("Please type a question after /ask.", ephemeral: true), cancellationToken);
            return;
        }

        if (question.Length > _maxQuestionLength)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Your question is {question.Length} characters long; the limit is {_maxQuestionLength}. Please shorten it and ask again.");
            await responder.RespondAsync(InteractionResponse.Message(message, ephemeral: true), cancellationToken);
            return;
        }

        if (!await WithinLimitsAsync(interaction, responder, cancellationToken))
            return;

        var conversation = ConversationOf(interaction);
        await DeferredAsync(interaction, responder, received, ephemeral: false, async () =>
            ReplyComposer.Compose(await engine.AskAsync(new Question(question, ConversationId: conversation), cancellationToken)), cancellationToken);
    }

    /// <summary>One conversation per person and channel, as for messages that mention the bot.</summary>
    private static string ConversationOf(Interaction interaction) => $"discord:{interaction.ChannelId}:{interaction.Invoker?.Id ?? "unknown"}";

    private async Task SummaryAsync(Interaction interaction, IInteractionResponder responder, long received, CancellationToken cancellationToken)
    {
        var source = StringOption(interaction, "source")?.Trim();
        if (string.IsNullOrEmpty(source))
            source = null;
        var length = SummaryLengths.FromCommandWord(StringOption(interaction, "length")) ?? SummaryLength.Medium;

        // Checked before deferring so that the error can still be ephemeral.
        var known = engine.ListSources();
        if (known.Count == 0)
        {
            await responder.RespondAsync(InteractionResponse.Message("No articles are indexed yet.", ephemeral: true), cancellationToken);
            return;
        }

        // "/summary source: yukos": the article whose id or headline the words name, as the engine finds it.
        var named = source is null ? null : engine.SourceNamed(source);
        if (source is not null && named is null)
        {
            await responder.RespondAsync(InteractionResponse.Message($"I don't know a source called `{ChatText.Truncate(source, 100)}`. Use /sources to see the list.", ephemeral: true), cancellationToken);
            return;
        }

        if (!await WithinLimitsAsync(interaction, responder, cancellationToken))
            return;

        var conversation = ConversationOf(interaction);
        await DeferredAsync(interaction, responder, received, ephemeral: false, async () =>
            ReplyComposer.Compose(await engine.SummarizeAsync(new SummaryRequest(named, length, conversation), cancellationToken)), cancellationToken);
    }

    private async Task ReloadAsync(Interaction interaction, IInteractionResponder responder, long received, CancellationToken cancellationToken)
    {
        var user = interaction.Invoker?.Id ?? "unknown";
        if (!admins.IsAdmin(interaction))
        {
            LogReloadRefused(user, interaction.GuildId ?? "DM");
            await responder.RespondAsync(InteractionResponse.Message("Only members with the Manage Server permission (or listed NewsBot admins) can reload the articles.", ephemeral: true), cancellationToken);
            return;
        }

        LogReloadStarted(user);
        await DeferredAsync(interaction, responder, received, ephemeral: true, async () =>
        {
            var report = await engine.ReloadAsync(cancellationToken);
            LogReloadFinished(report.Added, report.Updated, report.Removed, report.Elapsed.TotalSeconds);
            return ReplyComposer.Plain(ChatText.DescribeReload(report));
        }, cancellationToken);
    }

    /// <summary>Defers at once, does the work, then edits the deferred response; the user is never left on "thinking…".</summary>
    private async Task DeferredAsync(Interaction interaction, IInteractionResponder responder, long received, bool ephemeral, Func<Task<ComposedReply>> work, CancellationToken cancellationToken)
    {
        await responder.RespondAsync(InteractionResponse.Defer(ephemeral), cancellationToken);
        ComposedReply reply;
        try
        {
            reply = await work();
        }
        catch (QuestionRejectedException ex)
        {
            reply = ReplyComposer.Plain(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, interaction.Data?.Name ?? "?");
            reply = ReplyComposer.Plain("Sorry, something went wrong. Please try again later.");
        }

        await CompleteAsync(interaction, received, reply, ephemeral, cancellationToken);
    }

    private async Task<bool> WithinLimitsAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        var verdict = limiter.Check(interaction.Invoker?.Id ?? "unknown", interaction.ChannelId ?? "dm", out var retryAfter);
        if (verdict == QuestionVerdict.Allowed)
            return true;

        // Ephemeral, so repeating it spams nobody but the asker.
        await responder.RespondAsync(InteractionResponse.Message(QuestionRateLimiter.Notice(retryAfter), ephemeral: true), cancellationToken);
        return false;
    }

    /// <summary>
    /// Edits the deferred response with the first piece; further pieces go out as follow-ups. Both are webhook calls
    /// authorised by the interaction's token, which expires 15 minutes after the command: what is ready later (a
    /// /reload of a large archive), or what the webhook refuses as expired, goes to the channel as a bot message.
    /// </summary>
    private async Task CompleteAsync(Interaction interaction, long received, ComposedReply reply, bool ephemeral, CancellationToken cancellationToken)
    {
        var flags = ephemeral ? MessageFlags.Ephemeral : (int?)null;
        for (var i = 0; i < reply.Pieces.Count; i++)
        {
            var elapsed = time.GetElapsedTime(received);
            if (elapsed >= TokenUsableFor)
            {
                LogTokenExpired(interaction.Data?.Name ?? "?", elapsed.TotalMinutes, "it is older than its 15 minutes");
                await PostToChannelAsync(interaction, reply, i, cancellationToken);
                return;
            }

            var embeds = i == reply.Pieces.Count - 1 ? reply.Embeds : null;
            try
            {
                if (i == 0)
                    await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new WebhookMessage(reply.Pieces[i], embeds, AllowedMentions.None), cancellationToken);
                else
                    await rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, new WebhookMessage(reply.Pieces[i], embeds, AllowedMentions.None, flags), cancellationToken);
            }
            catch (DiscordApiException ex) when (IsExpiredToken(ex))
            {
                LogTokenExpired(interaction.Data?.Name ?? "?", elapsed.TotalMinutes, ex.Message);
                await PostToChannelAsync(interaction, reply, i, cancellationToken);
                return;
            }
        }
    }

    /// <summary>An interaction token Discord no longer honours: 401 "Invalid Webhook Token" or 404 "Unknown Webhook".</summary>
    private static bool IsExpiredToken(DiscordApiException ex) =>
        ex.Code is InvalidWebhookToken or UnknownWebhook
        || (ex.Code is null && ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.NotFound);

    /// <summary>
    /// The pieces from <paramref name="from"/> on, as messages in the interaction's channel with the bot token. The asker
    /// is mentioned (and notified) in the first, since the reply no longer appears under their command; a private
    /// reply becomes visible to the channel, which for /reload's counts is harmless.
    /// </summary>
    private async Task PostToChannelAsync(Interaction interaction, ComposedReply reply, int from, CancellationToken cancellationToken)
    {
        if (interaction.ChannelId is not { } channel)
        {
            LogUndeliverable(interaction.Data?.Name ?? "?", "the interaction names no channel");
            return;
        }

        var asker = interaction.Invoker?.Id;
        for (var i = from; i < reply.Pieces.Count; i++)
        {
            var content = reply.Pieces[i];
            var mention = i == from && asker is not null && content.Length + asker.Length + 4 <= EmbedLimits.Content;
            var body = new MessageCreate(
                mention ? $"<@{asker}> {content}" : content,
                i == reply.Pieces.Count - 1 ? reply.Embeds : null,
                mention ? new AllowedMentions([], Users: [asker!]) : AllowedMentions.None,
                // A retried send after a lost response returns the first message instead of posting a copy.
                Nonce: string.Create(CultureInfo.InvariantCulture, $"{interaction.Id}-{i}"),
                EnforceNonce: true);
            try
            {
                await rest.CreateMessageAsync(channel, body, cancellationToken);
            }
            catch (DiscordApiException ex)
            {
                LogUndeliverable(interaction.Data?.Name ?? "?", ex.Message);
                return;
            }
        }
    }

    private InteractionResponse Autocomplete(Interaction interaction)
    {
        var typed = interaction.Data?.Options?.FirstOrDefault(o => o.Focused == true)?.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? "" : "";
        var choices = engine.ListSources()
            .Where(s => s.Id.Length <= MaxChoiceLength
                && (s.Id.Contains(typed, StringComparison.OrdinalIgnoreCase) || s.Title.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .Take(MaxChoices)
            .Select(s => new CommandChoice(ChatText.Truncate($"{s.Title} ({s.Id})", MaxChoiceLength), s.Id))
            .ToList();
        return new InteractionResponse(CallbackTypes.AutocompleteResult, new InteractionCallbackData(Choices: choices));
    }

    private static string? StringOption(Interaction interaction, string name) =>
        interaction.Data?.Options?.FirstOrDefault(o => o.Name == name)?.Value is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused /reload for user {UserId} in guild {GuildId}: not an admin")]
    private partial void LogReloadRefused(string userId, string guildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "/reload started by user {UserId}")]
    private partial void LogReloadStarted(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "/reload finished: {Added} added, {Updated} updated, {Removed} removed in {Seconds:0.0} s")]
    private partial void LogReloadFinished(int added, int updated, int removed, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token of /{Command} cannot be used after {Minutes:0.0} min ({Reason}); the reply goes to the channel as a bot message")]
    private partial void LogTokenExpired(string command, double minutes, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reply to /{Command} could not be delivered: {Reason}")]
    private partial void LogUndeliverable(string command, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored interaction of type {Type}")]
    private partial void LogUnhandled(int type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling /{Command} failed")]
    private partial void LogFailed(Exception exception, string command);
}
