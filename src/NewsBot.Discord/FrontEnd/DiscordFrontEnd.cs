using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Discord.Commands;
using NewsBot.Discord.Gateway;
using NewsBot.Discord.Messages;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord.FrontEnd;

/// <summary>
/// The Discord front end: keeps the Gateway connection, registers the slash commands after READY,
/// and hands messages and interactions to their handlers without holding up the Gateway reader.
/// </summary>
internal sealed partial class DiscordFrontEnd(
    GatewayClient gateway,
    DiscordRestClient rest,
    DiscordIdentity identity,
    MessageHandler messages,
    InteractionHandler interactions,
    EventClaimGate claims,
    IOptions<DiscordOptions> options,
    IOptions<FrontEndLifetimeOptions> frontEnds,
    TimeProvider time,
    ILogger<DiscordFrontEnd> logger) : IChatFrontEnd
{
    private readonly DiscordOptions _options = options.Value;
    private int _commandsRegistered;

    public string Name => "Discord";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<GatewayDispatch>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        using var work = new FrontEndWork(Name, _options.MaxConcurrentQuestions, frontEnds.Value.StopDrainTime, time, logger, cancellationToken);
        using var sessionEnded = new CancellationTokenSource();
        // A process that is stopping takes over nothing: it would only drop the question again and use up one of its attempts.
        using var recovering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sessionEnded.Token);
        var consumer = ConsumeAsync(queue.Reader, work, recovering.Token);
        using var rejected = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var session = gateway.RunAsync((dispatch, ct) => queue.Writer.WriteAsync(dispatch, ct), rejected.Token);
            // A 401 on any REST call (an answer, a command registration) means the token was reset: without it the
            // bot would stay connected, reading questions it can no longer answer.
            if (await Task.WhenAny(session, rest.TokenRejected) != session)
            {
                await rejected.CancelAsync();
                await session.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw new FrontEndRefusedException(GatewayCloseCodes.TokenRejected(await rest.TokenRejected));
            }

            await session;
        }
        finally
        {
            queue.Writer.TryComplete();
            await sessionEnded.CancelAsync();
            await consumer;
            await work.DrainAsync();
        }
    }

    /// <summary>
    /// Hands every dispatch to <paramref name="work"/>, also those read after stopping began (the gateway reads on until
    /// Discord answers its close): Discord does not deliver them again, so they are answered within the drain time.
    /// </summary>
    /// <param name="recoveryEnds">Ends the look for abandoned questions, which starts once READY says who the bot is.</param>
    private async Task ConsumeAsync(ChannelReader<GatewayDispatch> reader, FrontEndWork work, CancellationToken recoveryEnds)
    {
        var cancellationToken = work.Token;
        var recoveryStarted = false;
        await foreach (var dispatch in reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (dispatch.Type == "READY" && !recoveryStarted)
                {
                    recoveryStarted = true;
                    work.Track(claims.RecoverAbandonedAsync(EventClaimKey.Prefix(messages.ClaimPlatform), (claim, payload) =>
                        work.Track(RecoverAsync(work, claim, payload)), recoveryEnds));
                }

                switch (dispatch.Type)
                {
                    case "READY" when _options.ShardId != 0:
                        // Commands belong to the application, not a shard: N shard processes register them once.
                        if (Interlocked.Exchange(ref _commandsRegistered, 1) == 0)
                            LogCommandsLeftToShardZero(_options.ShardId);
                        break;
                    case "READY" when Interlocked.Exchange(ref _commandsRegistered, 1) == 0:
                        work.Track(RegisterCommandsAsync(cancellationToken));
                        break;
                    case "MESSAGE_CREATE":
                        await HandOverAsync(work, DiscordJson.Deserialize<DiscordMessage>(dispatch.Data));
                        break;
                    case "INTERACTION_CREATE":
                        var interaction = DiscordJson.Deserialize<Interaction>(dispatch.Data);
                        // Not queued behind questions: the first response is due within 3 s.
                        work.Track(HandleInteractionAsync(interaction, cancellationToken));
                        break;
                }
            }
            catch (JsonException ex)
            {
                LogBadEvent(ex, dispatch.Type);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Past the drain time a question still queued would be dropped unanswered, so it is not claimed either.
                work.CountDropped();
            }
        }
    }

    private async Task HandOverAsync(FrontEndWork work, DiscordMessage message)
    {
        try
        {
            if (await messages.TriageAsync(message, work.Token) is { } question)
                AnswerWhenFree(work, question);
        }
        catch (OperationCanceledException) when (work.Token.IsCancellationRequested)
        {
            // Past the drain time a question is not answered here: it is claimed with its payload and abandoned at once,
            // so that another process (or this one, started again) answers it.
            if (await messages.TriageAsync(message, CancellationToken.None) is { } question)
            {
                await question.Claim.AbandonAsync();
                work.CountDropped();
            }
        }
    }

    /// <summary>A question another claimant claimed and then stopped answering, answered as if it had just come.</summary>
    private async Task RecoverAsync(FrontEndWork work, ClaimedEvent claim, string payload)
    {
        if (await messages.RecoverAsync(claim, payload) is { } question)
            AnswerWhenFree(work, question);
    }

    // Dropped unanswered when the drain time ends with it still waiting: its claim is abandoned, so that another process
    // (or this one, started again) answers it; Discord will not deliver it again.
    private void AnswerWhenFree(FrontEndWork work, DiscordQuestion question) =>
        work.Answer(ct => messages.AnswerAsync(question, ct), ex => LogHandlerFailed(ex, question.Message.Id), question.Claim.AbandonAsync);

    /// <summary>
    /// Another session on this shard (a second process with the same token) receives the interaction too. Its callback
    /// would be refused with 40060 "already acknowledged", which reads like a retry of our own, so it would ask the
    /// engine again and edit the response (and post its follow-ups) a second time: the first session to claim the
    /// interaction's id answers it. Interactions over the HTTP endpoint need no claim: Discord posts each to one URL, once.
    /// </summary>
    private async Task HandleInteractionAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        if (await claims.TryClaimAsync(EventClaimKey.For("discord", interaction.Id), cancellationToken) is not { } claim)
        {
            LogInteractionClaimed(interaction.Id);
            return;
        }

        await claim.AnswerAsync(() => interactions.HandleAsync(interaction, new CallbackResponder(rest, interaction), cancellationToken));
    }

    /// <summary>
    /// A bulk overwrite replaces the whole set; Discord counts only new commands towards its daily
    /// creation limit, so repeating it at each start is safe.
    /// </summary>
    private async Task RegisterCommandsAsync(CancellationToken cancellationToken)
    {
        var applicationId = identity.ApplicationId;
        if (applicationId is null)
        {
            LogNoApplicationId();
            return;
        }

        var guild = _options.GuildId?.ToString(CultureInfo.InvariantCulture);
        try
        {
            var commands = SlashCommands.Definitions(_options.MaxQuestionLength);
            await rest.BulkOverwriteCommandsAsync(applicationId, guild, commands, cancellationToken);
            LogCommandsRegistered(commands.Count, guild is null ? "globally (may take up to an hour to appear)" : $"on guild {guild}");
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException)
        {
            Volatile.Write(ref _commandsRegistered, 0);
            LogCommandsFailed(ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} slash commands {Scope}")]
    private partial void LogCommandsRegistered(int count, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering the slash commands failed; mentions and DMs still work")]
    private partial void LogCommandsFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {ShardId} leaves slash command registration to shard 0")]
    private partial void LogCommandsLeftToShardZero(int shardId);

    [LoggerMessage(Level = LogLevel.Error, Message = "No application id (set Discord:ApplicationId); slash commands were not registered")]
    private partial void LogNoApplicationId();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read a {Type} event")]
    private partial void LogBadEvent(Exception exception, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored interaction {InteractionId}: already claimed, by another session receiving the same shard")]
    private partial void LogInteractionClaimed(string interactionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling message {MessageId} failed")]
    private partial void LogHandlerFailed(Exception exception, string messageId);
}
