using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Slack.Messages;
using NewsBot.Slack.WebApi;
using NewsBot.Summaries;

namespace NewsBot.Slack.Commands;

/// <summary>
/// /ask, /summary, /sources and /reload. The transport has already acknowledged the command (within
/// Slack's 3 s); results go to the response_url, in the channel for answers and privately (ephemeral)
/// for errors, refusals and /reload.
/// </summary>
internal sealed partial class SlashCommandHandler(
    INewsBotEngine engine,
    SlackApiClient api,
    AdminPolicy admins,
    QuestionRateLimiter limiter,
    SlackIdentity identity,
    TimeProvider time,
    IOptions<SlackOptions> options,
    ILogger<SlashCommandHandler> logger)
{
    /// <summary>Slack accepts up to five messages per response_url.</summary>
    private const int MaxResponses = 5;

    /// <summary>
    /// How long after its receipt a command's response_url is still used. Slack honours it for 30 minutes from the
    /// command; the minute less covers the delivery to NewsBot and the request itself.
    /// </summary>
    public static readonly TimeSpan ResponseUrlUsableFor = TimeSpan.FromMinutes(29);
    private readonly int _maxQuestionLength = options.Value.MaxQuestionLength;

    public async Task HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        command = command with { ReceivedAt = time.GetTimestamp() };
        try
        {
            switch (command.Name)
            {
                case "ask":
                    await AskAsync(command, cancellationToken);
                    break;
                case "summary":
                    await SummaryAsync(command, cancellationToken);
                    break;
                case "sources":
                    await RespondAsync(command, SlackReplyComposer.SourcesList(engine.ListSources(), engine.IndexNotice()), ephemeral: false, cancellationToken);
                    break;
                case "reload":
                    await ReloadAsync(command, cancellationToken);
                    break;
                default:
                    await RespondAsync(command, SlackReplyComposer.Plain($"Unknown command {command.Command}. Try /ask, /summary, /sources or /reload."), ephemeral: true, cancellationToken);
                    break;
            }
        }
        catch (SlackApiException ex)
        {
            LogDeliveryFailed(command.Command, ex.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, command.Command);
        }
    }

    private async Task AskAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var question = Mrkdwn.ToPlainQuestion(command.Text, identity.BotUserId ?? "");
        if (question.Length == 0)
        {
            await RespondAsync(command, SlackReplyComposer.Plain("Please type a question after /ask, e.g. /ask why did the PMO decline the meeting?"), ephemeral: true, cancellationToken);
            return;
        }

        if (question.Length > _maxQuestionLength)
        {
            var tooLong = string.Create(CultureInfo.InvariantCulture, $"Your question is {question.Length} characters long; the limit is {_maxQuestionLength}. Please shorten it and ask again.");
            await RespondAsync(command, SlackReplyComposer.Plain(tooLong), ephemeral: true, cancellationToken);
            return;
        }

        if (!await WithinLimitsAsync(command, cancellationToken))
            return;

        await WorkAsync(command, async () =>
        {
            var asked = new Question(question, ConversationId: ConversationOf(command));
            return SlackReplyComposer.Compose(await engine.AskAsync(asked, cancellationToken));
        }, cancellationToken);
    }

    /// <summary>One conversation per person and channel, as for messages that mention the bot.</summary>
    private string ConversationOf(SlashCommand command) => $"slack:{command.TeamId ?? identity.TeamId}:{command.ChannelId}:{command.UserId}";

    /// <summary>/summary [short|medium|long] [source id or headline words], in either order.</summary>
    private async Task SummaryAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var length = SummaryLength.Medium;
        var named = new List<string>();
        foreach (var word in command.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (SummaryLengths.FromCommandWord(word) is { } asked)
                length = asked;
            else
                named.Add(word);
        }

        // "/summary short time warner": the article whose id or headline the words name, as the engine finds it.
        var source = named.Count == 0 ? null : string.Join(' ', named);
        var id = source is null ? null : engine.SourceNamed(source);

        var known = engine.ListSources();
        if (known.Count == 0)
        {
            await RespondAsync(command, SlackReplyComposer.Plain("No articles are indexed yet."), ephemeral: true, cancellationToken);
            return;
        }

        if (source is not null && id is null)
        {
            var unknown = $"I don't know a source called {ChatText.Truncate(source, 100)}. Use /sources to see the list, and /summary [short|medium|long] [source].";
            await RespondAsync(command, SlackReplyComposer.Plain(unknown), ephemeral: true, cancellationToken);
            return;
        }

        if (!await WithinLimitsAsync(command, cancellationToken))
            return;

        await WorkAsync(command, async () =>
            SlackReplyComposer.Compose(await engine.SummarizeAsync(
                new SummaryRequest(id, length, ConversationOf(command)), cancellationToken)), cancellationToken);
    }

    private async Task ReloadAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (!await admins.IsAdminAsync(command.UserId, cancellationToken))
        {
            LogReloadRefused(command.UserId, command.ChannelId);
            await RespondAsync(command, SlackReplyComposer.Plain("Only workspace admins and owners (or users listed in Slack:AdminUserIds) can reload the articles."), ephemeral: true, cancellationToken);
            return;
        }

        LogReloadStarted(command.UserId);
        IReadOnlyList<SlackMessage> reply;
        try
        {
            var report = await engine.ReloadAsync(cancellationToken);
            LogReloadFinished(report.Added, report.Updated, report.Removed, report.Elapsed.TotalSeconds);
            reply = SlackReplyComposer.Plain(ChatText.DescribeReload(report));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, command.Command);
            reply = SlackReplyComposer.Plain("Sorry, the reload failed; the articles indexed before are still served. See the NewsBot log.");
        }

        await RespondAsync(command, reply, ephemeral: true, cancellationToken);
    }

    /// <summary>Runs engine work; a rejected question or a failure is told privately, an answer goes in the channel.</summary>
    private async Task WorkAsync(SlashCommand command, Func<Task<IReadOnlyList<SlackMessage>>> work, CancellationToken cancellationToken)
    {
        IReadOnlyList<SlackMessage> reply;
        var ephemeral = false;
        try
        {
            reply = await work();
        }
        catch (QuestionRejectedException ex)
        {
            reply = SlackReplyComposer.Plain(ex.Message);
            ephemeral = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, command.Command);
            reply = SlackReplyComposer.Plain("Sorry, something went wrong. Please try again later.");
            ephemeral = true;
        }

        await RespondAsync(command, reply, ephemeral, cancellationToken);
    }

    private async Task<bool> WithinLimitsAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (limiter.Check(command.UserId, command.ChannelId, out var retryAfter) == QuestionVerdict.Allowed)
            return true;

        // Ephemeral, so repeating it bothers nobody but the asker.
        await RespondAsync(command, SlackReplyComposer.Plain(QuestionRateLimiter.Notice(retryAfter)), ephemeral: true, cancellationToken);
        return false;
    }

    /// <summary>
    /// Posts to the command's response_url, which Slack honours for 30 minutes: what is ready later (a /reload of a large
    /// archive), or what the URL refuses as expired, is posted with the bot token instead, privately as before.
    /// </summary>
    private async Task RespondAsync(SlashCommand command, IReadOnlyList<SlackMessage> reply, bool ephemeral, CancellationToken cancellationToken)
    {
        var messages = reply.Take(MaxResponses).ToList();
        for (var i = 0; i < messages.Count; i++)
        {
            var elapsed = time.GetElapsedTime(command.ReceivedAt);
            if (elapsed >= ResponseUrlUsableFor)
            {
                LogResponseUrlExpired(command.Command, elapsed.TotalMinutes, "it is older than its 30 minutes");
                await PostWithBotTokenAsync(command, messages.Skip(i), ephemeral, cancellationToken);
                break;
            }

            var body = messages[i].ToJson();
            body["response_type"] = ephemeral ? "ephemeral" : "in_channel";
            body["replace_original"] = false;
            try
            {
                await api.PostToResponseUrlAsync(command.ResponseUrl, body, cancellationToken);
            }
            catch (SlackApiException ex) when (ex.Error is "http_404" or "http_410")
            {
                LogResponseUrlExpired(command.Command, elapsed.TotalMinutes, ex.Error);
                await PostWithBotTokenAsync(command, messages.Skip(i), ephemeral, cancellationToken);
                break;
            }
        }

        if (reply.Count > MaxResponses)
            LogTruncated(command.Command, reply.Count, MaxResponses);
    }

    /// <summary>
    /// The messages in the command's channel with the bot token: chat.postEphemeral to the user who ran it for a private
    /// reply (it needs the bot in the channel, as ask channels do), chat.postMessage otherwise.
    /// </summary>
    private async Task PostWithBotTokenAsync(SlashCommand command, IEnumerable<SlackMessage> messages, bool ephemeral, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            var body = message.ToJson();
            body["channel"] = command.ChannelId;
            if (ephemeral)
            {
                body["user"] = command.UserId;
            }
            else
            {
                body["unfurl_links"] = false;
                body["unfurl_media"] = false;
            }

            await api.CallJsonAsync(ephemeral ? "chat.postEphemeral" : "chat.postMessage", body, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused /reload for user {UserId} in channel {ChannelId}: not an admin")]
    private partial void LogReloadRefused(string userId, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "/reload started by user {UserId}")]
    private partial void LogReloadStarted(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "/reload finished: {Added} added, {Updated} updated, {Removed} removed in {Seconds:0.0} s")]
    private partial void LogReloadFinished(int added, int updated, int removed, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {Command} failed")]
    private partial void LogFailed(Exception exception, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not deliver the result of {Command}: {Error}")]
    private partial void LogDeliveryFailed(string command, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The response_url of {Command} cannot be used after {Minutes:0.0} min ({Reason}); the reply goes with the bot token")]
    private partial void LogResponseUrlExpired(string command, double minutes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} produced {Count} messages; only the first {Max} fit its response_url")]
    private partial void LogTruncated(string command, int count, int max);
}
