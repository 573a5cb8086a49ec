using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Slack.Messages;
using NewsBot.Slack.WebApi;

namespace NewsBot.Slack.Events;

/// <summary>A message that is a question for NewsBot, with where the answer goes and this process's claim on it.</summary>
/// <param name="OverLimit">Set when the asker is over the question limit: the answer is this one short notice instead.</param>
internal sealed record SlackQuestion(string EventId, string Channel, string User, string Ts, string ThreadTs, string Text, ClaimedEvent Claim, string? OverLimit = null)
{
    /// <summary>What another process needs to answer the question (see <see cref="IEventClaims.TryClaimAsync"/>).</summary>
    public static string ToPayload(string eventId, string channel, string user, string ts, string threadTs, string text) =>
        JsonSerializer.Serialize(new Saved(eventId, channel, user, ts, threadTs, text));

    /// <summary>The question <see cref="ToPayload"/> saved, answered under <paramref name="claim"/>; null when the payload is not one.</summary>
    public static SlackQuestion? FromPayload(string payload, ClaimedEvent claim)
    {
        try
        {
            return JsonSerializer.Deserialize<Saved>(payload) is { EventId: not null, Channel: not null, User: not null, Ts: not null, ThreadTs: not null, Text: not null } s
                ? new SlackQuestion(s.EventId, s.Channel, s.User, s.Ts, s.ThreadTs, s.Text, claim)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Saved(string? EventId, string? Channel, string? User, string? Ts, string? ThreadTs, string? Text);
}

/// <summary>
/// Decides which events are questions (app_mention; message in a DM or an ask channel; never bots, the
/// bot itself, edits or other subtypes), handles each once however often Slack delivers it, and answers
/// in the question's thread.
/// </summary>
internal sealed partial class SlackEventHandler(
    INewsBotEngine engine,
    SlackApiClient api,
    SlackIdentity identity,
    QuestionRateLimiter limiter,
    EventClaimGate claims,
    IOptions<SlackOptions> options,
    ILogger<SlackEventHandler> logger)
{
    private readonly HashSet<string> _askChannels = [.. options.Value.AskChannelIds.Select(c => c.Trim())];

    /// <summary>
    /// Runs on the reader, in delivery order: returns the question to answer, or null for anything else, including a
    /// message whose claim another delivery holds: a re-delivery (same event, to this process or another) or the
    /// second copy of one message (same channel and ts, as app_mention and as message). The event was acknowledged
    /// before it was queued, so the claim never holds up Slack's 3 seconds.
    /// </summary>
    public async ValueTask<SlackQuestion?> TriageAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        var callback = inbound.Callback;
        if (Str(callback, "type") != "event_callback" || !callback.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.Object)
            return null;
        var eventId = Str(callback, "event_id") ?? "";
        var type = Str(ev, "type");
        if (type is not ("app_mention" or "message"))
            return null;
        var user = Str(ev, "user");
        var channel = Str(ev, "channel");
        var ts = Str(ev, "ts");
        if (user is null || channel is null || ts is null || ev.TryGetProperty("subtype", out _) || ev.TryGetProperty("bot_id", out _)
            || ev.TryGetProperty("bot_profile", out _) || ev.TryGetProperty("edited", out _) || user == identity.BotUserId)
            return null;

        var isQuestion = type == "app_mention" || Str(ev, "channel_type") == "im" || _askChannels.Contains(channel);
        if (!isQuestion || (type == "message" && IsAlsoAnAppMention(ev)))
            return null;
        // One key per message: a re-delivery carries the same channel and ts as the first delivery, and so does the
        // message's other copy (under another event id), so this one claim covers both. The question goes with the claim,
        // so that another process answers it should this one stop before it does: Slack has its acknowledgement and will
        // not deliver it again.
        var (threadTs, text) = (Str(ev, "thread_ts") ?? ts, Mrkdwn.ToPlainQuestion(Str(ev, "text") ?? "", identity.BotUserId ?? ""));
        var payload = SlackQuestion.ToPayload(eventId, channel, user, ts, threadTs, text);
        if (await claims.TryClaimAsync(EventClaimKey.For(ClaimPlatform, channel, ts), payload, cancellationToken) is not { } claim)
        {
            LogClaimed(type, eventId, inbound.RetryAttempt, channel, ts);
            return null;
        }

        var question = new SlackQuestion(eventId, channel, user, ts, threadTs, text, claim);
        if (text.Length == 0)
            return question;

        // Counted here, in delivery order, rather than when a worker gets to the question.
        switch (limiter.Check(user, channel, out var retryAfter))
        {
            case QuestionVerdict.LimitedQuiet:
                // Left unanswered on purpose: a re-delivery must not be answered either.
                await claim.CompleteAsync();
                return null;
            case QuestionVerdict.LimitedNotify:
                LogRateLimited(user, channel);
                return question with { OverLimit = QuestionRateLimiter.Notice(retryAfter) };
            default:
                return question;
        }
    }

    /// <summary>Where this workspace's claims are kept apart from other workspaces' and platforms' (see <see cref="EventClaimKey"/>).</summary>
    public string ClaimPlatform => $"slack/{identity.TeamId}";

    /// <summary>
    /// The question another claimant acknowledged and claimed and then stopped answering, taken over as
    /// <paramref name="claim"/>; null, with the claim completed and a warning, when its payload cannot be read. It was
    /// counted against the asker's limit when it first came.
    /// </summary>
    public async ValueTask<SlackQuestion?> RecoverAsync(ClaimedEvent claim, string payload)
    {
        if (SlackQuestion.FromPayload(payload, claim) is { } question)
            return question;
        LogUnreadablePayload(payload.Length);
        await claim.CompleteAsync();
        return null;
    }

    /// <summary>
    /// A channel message that mentions the bot also comes as app_mention, with its own event id, and with several
    /// processes connected the two copies may reach different ones, where no shared memory says the other was answered.
    /// The message copy is left to the app_mention one, which every mention in a channel gets (direct messages never do).
    /// </summary>
    private bool IsAlsoAnAppMention(JsonElement ev) =>
        Str(ev, "channel_type") is "channel" or "group" && identity.BotUserId is { Length: > 0 } bot
        && Str(ev, "text") is { } text && (text.Contains($"<@{bot}>", StringComparison.Ordinal) || text.Contains($"<@{bot}|", StringComparison.Ordinal));

    /// <summary>
    /// Answers, then completes the question's claim; releases it instead when no answer could be found (the engine
    /// failed: the asker was told to try again, and a re-delivery, here or to another process, may do better), and
    /// abandons it when answering ended in an exception, stopping included, so that another process answers it.
    /// </summary>
    public Task AnswerAsync(SlackQuestion question, CancellationToken cancellationToken) =>
        question.Claim.AnswerAsync(() => AnswerOrApologizeAsync(question, cancellationToken));

    /// <summary>False when the engine failed and the reply is an apology.</summary>
    private async Task<bool> AnswerOrApologizeAsync(SlackQuestion question, CancellationToken cancellationToken)
    {
        if (question.Text.Length == 0)
        {
            await ReplyAsync(question, SlackReplyComposer.Plain("Ask me a question about the indexed articles, e.g. by mentioning me followed by your question, or use /ask."), cancellationToken);
            return true;
        }

        if (question.OverLimit is { } notice)
        {
            await ReplyAsync(question, SlackReplyComposer.Plain(notice), cancellationToken);
            return true;
        }

        IReadOnlyList<SlackMessage> reply;
        try
        {
            var asked = new Question(question.Text, ConversationId: $"slack:{identity.TeamId}:{question.Channel}:{question.User}");
            reply = SlackReplyComposer.Compose(await engine.AskAsync(asked, cancellationToken));
        }
        catch (QuestionRejectedException ex)
        {
            reply = SlackReplyComposer.Plain(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAnswerFailed(ex, question.Channel, question.Ts);
            await ReplyAsync(question, SlackReplyComposer.Plain("Sorry, something went wrong while looking for an answer. Please try again later."), cancellationToken);
            return false;
        }

        await ReplyAsync(question, reply, cancellationToken);
        return true;
    }

    /// <summary>Every part goes into the question's thread, with link and media previews off.</summary>
    private async Task ReplyAsync(SlackQuestion question, IReadOnlyList<SlackMessage> reply, CancellationToken cancellationToken)
    {
        foreach (var message in reply)
        {
            var body = message.ToJson();
            body["channel"] = question.Channel;
            body["thread_ts"] = question.ThreadTs;
            body["unfurl_links"] = false;
            body["unfurl_media"] = false;
            try
            {
                await api.CallJsonAsync("chat.postMessage", body, cancellationToken);
            }
            catch (SlackApiException ex)
            {
                LogReplyFailed(question.Channel, question.Ts, ex.Error);
                return;
            }
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {Type} event {EventId} (retry {RetryAttempt}) for message {Channel}/{Ts}: already claimed, by an earlier delivery or the message's other copy")]
    private partial void LogClaimed(string type, string eventId, int retryAttempt, string channel, string ts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a question taken over from another claimant: its saved form ({Length} characters) could not be read")]
    private partial void LogUnreadablePayload(int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} is over the question limit in channel {ChannelId}; sent one notice")]
    private partial void LogRateLimited(string userId, string channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering message {Channel}/{Ts} failed")]
    private partial void LogAnswerFailed(Exception exception, string channel, string ts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not deliver the answer to message {Channel}/{Ts}: {Error}")]
    private partial void LogReplyFailed(string channel, string ts, string error);
}
