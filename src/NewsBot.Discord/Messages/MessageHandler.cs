using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.Gateway;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord.Messages;

/// <summary>A message that is a question for NewsBot: what it asks, without the mentions, and this process's claim on it.</summary>
internal sealed record DiscordQuestion(DiscordMessage Message, string Text, ClaimedEvent Claim);

/// <summary>
/// Answers MESSAGE_CREATE events that are questions: the bot is mentioned, it is a DM, or the
/// channel is an ask channel. Replies reference the question and ping nobody. Each question is answered once even
/// when two sessions on one shard (two processes with the same token: a deploy's overlap, a copy left running) both
/// receive it, by a claim on its message id shared through the index store.
/// </summary>
internal sealed partial class MessageHandler(
    INewsBotEngine engine,
    DiscordRestClient rest,
    DiscordIdentity identity,
    QuestionRateLimiter limiter,
    EventClaimGate claims,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<MessageHandler> logger)
{
    private const int DefaultType = 0;
    private const int ReplyType = 19;
    private const int DmChannel = 1;
    private const int EphemeralFlag = 64;
    private readonly DiscordOptions _options = options.Value;
    private readonly HashSet<string> _askChannels = options.Value.AskChannelIds.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToHashSet();

    /// <summary>Where this bot's claims on messages are kept apart from other bots' and other events' (see <see cref="EventClaimKey"/>).</summary>
    public string ClaimPlatform => $"discord/{identity.BotUserId}";

    /// <summary>
    /// Runs on the reader, in delivery order: the question to answer, claimed, or null for anything else, including a
    /// message another session claimed first (two sessions on one shard both receive it).
    /// </summary>
    public async ValueTask<DiscordQuestion?> TriageAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        var self = identity.BotUserId;
        if (self is null || !IsQuestion(message, self, out var mentioned))
            return null;

        var text = StripMentions(message.Content ?? "", self);
        // An ask-channel message with only an attachment or sticker is not addressed to us.
        if (text.Length == 0 && !mentioned && !IsDirectMessage(message))
            return null;

        // Claimed before the rate limiter, so that the session that does not answer does not count the question either.
        // The message goes with the claim, so that another process answers it should this one stop first: Discord does
        // not deliver it again.
        var payload = JsonSerializer.Serialize(message, DiscordJson.Options);
        if (await claims.TryClaimAsync(EventClaimKey.For(ClaimPlatform, message.Id), payload, cancellationToken) is not { } claim)
        {
            LogClaimed(message.Id);
            return null;
        }

        return new DiscordQuestion(message, text, claim);
    }

    /// <summary>
    /// The question another claimant claimed and then stopped answering, taken over as <paramref name="claim"/>; null,
    /// with the claim completed and a warning, when its payload cannot be read.
    /// </summary>
    public async ValueTask<DiscordQuestion?> RecoverAsync(ClaimedEvent claim, string payload)
    {
        DiscordMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<DiscordMessage>(payload, DiscordJson.Options);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is { Id: not null, ChannelId: not null, Author.Id: not null } && identity.BotUserId is { } self)
            return new DiscordQuestion(message, StripMentions(message.Content ?? "", self), claim);
        LogUnreadablePayload(payload.Length);
        await claim.CompleteAsync();
        return null;
    }

    /// <summary>
    /// Answers, then completes the claim however the answer ended, so that another copy of the message (the other
    /// session's, or one replayed to a resumed session) stays quiet for the keep time; abandons it when answering threw,
    /// stopping included, so that another process answers it.
    /// </summary>
    public Task AnswerAsync(DiscordQuestion question, CancellationToken cancellationToken) =>
        question.Claim.AnswerAsync(() => AnswerAsync(question.Message, question.Text, cancellationToken));

    private async Task AnswerAsync(DiscordMessage message, string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            await ReplyAsync(message, ReplyComposer.Plain("Ask me a question about the indexed articles, e.g. by mentioning me followed by your question, or use /ask."), cancellationToken);
            return;
        }

        switch (limiter.Check(message.Author.Id, message.ChannelId, out var retryAfter))
        {
            case QuestionVerdict.LimitedQuiet:
                return;
            case QuestionVerdict.LimitedNotify:
                LogRateLimited(message.Author.Id, message.ChannelId);
                await ReplyAsync(message, ReplyComposer.Plain(QuestionRateLimiter.Notice(retryAfter)), cancellationToken);
                return;
        }

        ComposedReply reply;
        using (var typing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var indicator = KeepTypingAsync(message.ChannelId, typing.Token);
            try
            {
                var question = new Question(text, ConversationId: $"discord:{message.ChannelId}:{message.Author.Id}");
                reply = ReplyComposer.Compose(await engine.AskAsync(question, cancellationToken));
            }
            catch (QuestionRejectedException ex)
            {
                reply = ReplyComposer.Plain(ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAnswerFailed(ex, message.Id);
                reply = ReplyComposer.Plain("Sorry, something went wrong while looking for an answer. Please try again later.");
            }
            finally
            {
                await typing.CancelAsync();
                await indicator;
            }
        }

        await ReplyAsync(message, reply, cancellationToken);
    }

    private bool IsQuestion(DiscordMessage message, string self, out bool mentioned)
    {
        mentioned = false;
        if (message.Author.Id == self || message.Author.Bot == true || message.WebhookId is not null)
            return false;
        if (message.Type is not (DefaultType or ReplyType))
            return false;

        var content = message.Content ?? "";
        mentioned = content.Contains($"<@{self}>", StringComparison.Ordinal)
            || content.Contains($"<@!{self}>", StringComparison.Ordinal)
            || (message.Mentions?.Any(u => u.Id == self) ?? false);
        return mentioned || IsDirectMessage(message) || _askChannels.Contains(message.ChannelId);
    }

    /// <summary>No guild alone does not make a DM: ephemeral messages also lack a guild id.</summary>
    private static bool IsDirectMessage(DiscordMessage message) =>
        message.ChannelType == DmChannel
        || (message.GuildId is null && message.ChannelType is null && ((message.Flags ?? 0) & EphemeralFlag) == 0);

    private static string StripMentions(string content, string self) =>
        Regex.Replace(content, $"<@!?{Regex.Escape(self)}>", " ", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Trim();

    private async Task ReplyAsync(DiscordMessage question, ComposedReply reply, CancellationToken cancellationToken)
    {
        for (var i = 0; i < reply.Pieces.Count; i++)
        {
            var last = i == reply.Pieces.Count - 1;
            var body = new MessageCreate(
                reply.Pieces[i],
                last ? reply.Embeds : null,
                AllowedMentions.None,
                i == 0 ? new MessageReference(question.Id, FailIfNotExists: false) : null,
                // The nonce makes a retried send after a lost response return the first message instead of a copy.
                Nonce: string.Create(CultureInfo.InvariantCulture, $"{question.Id}-{i}"),
                EnforceNonce: true);
            try
            {
                await rest.CreateMessageAsync(question.ChannelId, body, cancellationToken);
            }
            catch (DiscordApiException ex)
            {
                LogReplyFailed(ex, question.Id);
                return;
            }
        }
    }

    /// <summary>The indicator lasts about 10 s, so it is renewed until the answer is ready.</summary>
    private async Task KeepTypingAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await rest.TriggerTypingAsync(channelId, cancellationToken);
                await Task.Delay(_options.TypingInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The answer is ready.
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or OperationCanceledException)
        {
            // The indicator is a courtesy; the answer goes out regardless.
            LogTypingFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored message {MessageId}: already claimed, by another session receiving the same shard")]
    private partial void LogClaimed(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a question taken over from another claimant: its saved message ({Length} characters) could not be read")]
    private partial void LogUnreadablePayload(int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} is over the question limit in channel {ChannelId}; sent one notice")]
    private partial void LogRateLimited(string userId, string channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering message {MessageId} failed")]
    private partial void LogAnswerFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not deliver the reply to message {MessageId}")]
    private partial void LogReplyFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Typing indicator failed: {Reason}")]
    private partial void LogTypingFailed(string reason);
}
