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
    IOptions<DiscordOptions> options,
    ILogger<InteractionHandler> logger)
{
    private const int MaxChoices = 25;
    private const int MaxChoiceLength = 100;
    private readonly int _maxQuestionLength = options.Value.MaxQuestionLength;

    public async Task HandleAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
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
                    await CommandAsync(interaction, responder, cancellationToken);
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

    private Task CommandAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken) =>
        interaction.Data?.Name switch
        {
            SlashCommands.Ask => AskAsync(interaction, responder, cancellationToken),
            SlashCommands.Summary => SummaryAsync(interaction, responder, cancellationToken),
            SlashCommands.Sources => responder.RespondAsync(InteractionResponse.Message(ReplyComposer.SourcesList(engine.ListSources()), ephemeral: false), cancellationToken),
            SlashCommands.Reload => ReloadAsync(interaction, responder, cancellationToken),
            var name => responder.RespondAsync(InteractionResponse.Message($"Unknown command /{name}.", ephemeral: true), cancellationToken),
        };

    private async Task AskAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
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

        var conversation = $"discord:{interaction.ChannelId}:{interaction.Invoker?.Id ?? "unknown"}";
        await DeferredAsync(interaction, responder, ephemeral: false, async () =>
            ReplyComposer.Compose(await engine.AskAsync(new Question(question, ConversationId: conversation), cancellationToken)), cancellationToken);
    }

    private async Task SummaryAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        var source = StringOption(interaction, "source")?.Trim();
        if (string.IsNullOrEmpty(source))
            source = null;
        var length = StringOption(interaction, "length")?.ToUpperInvariant() switch
        {
            "SHORT" => SummaryLength.Short,
            "LONG" => SummaryLength.Long,
            _ => SummaryLength.Medium,
        };

        // Checked before deferring so that the error can still be ephemeral.
        var known = engine.ListSources();
        if (known.Count == 0)
        {
            await responder.RespondAsync(InteractionResponse.Message("No articles are indexed yet.", ephemeral: true), cancellationToken);
            return;
        }

        if (source is not null && !known.Any(s => string.Equals(s.Id, source, StringComparison.OrdinalIgnoreCase)))
        {
            await responder.RespondAsync(InteractionResponse.Message($"I don't know a source called `{ChatText.Truncate(source, 100)}`. Use /sources to see the list.", ephemeral: true), cancellationToken);
            return;
        }

        if (!await WithinLimitsAsync(interaction, responder, cancellationToken))
            return;

        await DeferredAsync(interaction, responder, ephemeral: false, async () =>
            ReplyComposer.Compose(await engine.SummarizeAsync(new SummaryRequest(source, length), cancellationToken)), cancellationToken);
    }

    private async Task ReloadAsync(Interaction interaction, IInteractionResponder responder, CancellationToken cancellationToken)
    {
        var user = interaction.Invoker?.Id ?? "unknown";
        if (!admins.IsAdmin(interaction))
        {
            LogReloadRefused(user, interaction.GuildId ?? "DM");
            await responder.RespondAsync(InteractionResponse.Message("Only members with the Manage Server permission (or listed NewsBot admins) can reload the articles.", ephemeral: true), cancellationToken);
            return;
        }

        LogReloadStarted(user);
        await DeferredAsync(interaction, responder, ephemeral: true, async () =>
        {
            var report = await engine.ReloadAsync(cancellationToken);
            LogReloadFinished(report.Added, report.Updated, report.Removed, report.Elapsed.TotalSeconds);
            return ReplyComposer.Plain(ChatText.DescribeReload(report));
        }, cancellationToken);
    }

    /// <summary>Defers at once, does the work, then edits the deferred response; the user is never left on "thinking…".</summary>
    private async Task DeferredAsync(Interaction interaction, IInteractionResponder responder, bool ephemeral, Func<Task<ComposedReply>> work, CancellationToken cancellationToken)
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

        await CompleteAsync(interaction, reply, ephemeral, cancellationToken);
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

    /// <summary>Edits the deferred response with the first piece; further pieces go out as follow-ups.</summary>
    private async Task CompleteAsync(Interaction interaction, ComposedReply reply, bool ephemeral, CancellationToken cancellationToken)
    {
        var flags = ephemeral ? MessageFlags.Ephemeral : (int?)null;
        for (var i = 0; i < reply.Pieces.Count; i++)
        {
            var embeds = i == reply.Pieces.Count - 1 ? reply.Embeds : null;
            if (i == 0)
                await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new WebhookMessage(reply.Pieces[i], embeds, AllowedMentions.None), cancellationToken);
            else
                await rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, new WebhookMessage(reply.Pieces[i], embeds, AllowedMentions.None, flags), cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored interaction of type {Type}")]
    private partial void LogUnhandled(int type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling /{Command} failed")]
    private partial void LogFailed(Exception exception, string command);
}
