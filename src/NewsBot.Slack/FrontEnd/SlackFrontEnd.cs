using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Resilience;
using NewsBot.Slack.Commands;
using NewsBot.Slack.Events;
using NewsBot.Slack.HttpMode;
using NewsBot.Slack.SocketMode;
using NewsBot.Slack.WebApi;

namespace NewsBot.Slack.FrontEnd;

/// <summary>
/// The Slack front end: learns the bot's identity with auth.test, receives events and slash commands in
/// Socket Mode or HTTP mode, and answers them without holding up the receiver.
/// </summary>
internal sealed partial class SlackFrontEnd(
    SlackApiClient api,
    SlackIdentity identity,
    SlackInbox inbox,
    SlackEventHandler events,
    SlashCommandHandler commands,
    EventClaimGate claims,
    IServiceProvider services,
    IOptions<SlackOptions> options,
    IOptions<FrontEndLifetimeOptions> frontEnds,
    TimeProvider time,
    ILogger<SlackFrontEnd> logger) : IChatFrontEnd
{
    private readonly SlackOptions _options = options.Value;

    public string Name => "Slack";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await IdentifyAsync(cancellationToken))
            return;

        using var work = new FrontEndWork(Name, _options.MaxConcurrentQuestions, frontEnds.Value.StopDrainTime, time, logger, cancellationToken);
        using var receiverEnded = new CancellationTokenSource();
        var consumer = ConsumeAsync(work, receiverEnded.Token);
        // A process that is stopping takes over nothing: it would only drop the question again and use up one of its attempts.
        using var recovering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, receiverEnded.Token);
        var recovery = claims.RecoverAbandonedAsync(EventClaimKey.Prefix(events.ClaimPlatform), (claim, payload) =>
            work.Track(RecoverAsync(work, claim, payload)), recovering.Token);
        using var rejected = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var receiving = _options.UsesHttpMode ? RunHttpModeAsync(rejected.Token) : GetService<SocketModeClient>().RunAsync(rejected.Token);
            // A bot token revoked while running (the app uninstalled) would leave the bot receiving questions it cannot answer.
            if (await Task.WhenAny(receiving, api.BotTokenRejected) != receiving)
            {
                await rejected.CancelAsync();
                await receiving.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw BotTokenRefused(await api.BotTokenRejected);
            }

            await receiving;
        }
        finally
        {
            await receiverEnded.CancelAsync();
            await recovery;
            await consumer;
            await work.DrainAsync();
        }
    }

    /// <summary>auth.test until it answers: a rejected token stops the front end (and NewsBot), a network failure is retried.</summary>
    private async Task<bool> IdentifyAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.SocketMode.ReconnectDelayMin, _options.SocketMode.ReconnectDelayMax);
        for (var failures = 1; ; failures++)
        {
            try
            {
                var me = await api.CallFormAsync("auth.test", WebApi.SlackToken.Bot, null, cancellationToken);
                identity.BotUserId = me.TryGetProperty("user_id", out var u) ? u.GetString() : null;
                identity.BotId = me.TryGetProperty("bot_id", out var b) ? b.GetString() : null;
                identity.TeamId = me.TryGetProperty("team_id", out var t) ? t.GetString() : null;
                LogIdentified(identity.BotUserId ?? "?", me.TryGetProperty("team", out var team) ? team.GetString() ?? "?" : "?", _options.UsesHttpMode ? "HTTP mode" : "Socket Mode");
                WarnAboutMissingScopes();
                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (SlackApiException ex) when (ex.IsAuthFailure)
            {
                throw BotTokenRefused(ex.Error);
            }
            catch (SlackApiException ex)
            {
                var delay = backoff.Delay(failures);
                LogIdentifyFailed(ex.Error, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
    }

    private static FrontEndRefusedException BotTokenRefused(string error) =>
        new($"Slack refused Slack:BotToken ({error}). Reinstall the app and copy the Bot User OAuth Token (OAuth & Permissions) into Slack:BotToken.");

    /// <summary>A missing scope fails silently later (no events, or every /reload refused), so it is said once at start.</summary>
    private void WarnAboutMissingScopes()
    {
        if (api.BotScopes is not { } granted)
            return;
        var needed = new List<string> { "app_mentions:read", "chat:write", "commands", "im:history", "users:read" };
        if (_options.AskChannelIds.Count > 0)
            needed.Add("channels:history");
        var missing = needed.Where(s => !granted.Contains(s)).ToList();
        if (missing.Count > 0)
            LogMissingScopes(string.Join(", ", missing));
    }

    private async Task RunHttpModeAsync(CancellationToken cancellationToken)
    {
        var endpoint = GetService<SlackHttpEndpoint>();
        await endpoint.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await endpoint.StopAsync(stop.Token);
        }
    }

    /// <summary>
    /// Hands what the transports queue to <paramref name="work"/> until the receiver ends, then what it queued before:
    /// all of it was acknowledged, so stopping answers it too, within the drain time. The inbox itself stays open: a
    /// front end started again after a crash reads from it again.
    /// </summary>
    private async Task ConsumeAsync(FrontEndWork work, CancellationToken receiverEnded)
    {
        try
        {
            while (await inbox.Reader.WaitToReadAsync(receiverEnded))
                await HandOverQueuedAsync(work);
        }
        catch (OperationCanceledException) when (receiverEnded.IsCancellationRequested)
        {
            // Handed over below.
        }

        await HandOverQueuedAsync(work);
    }

    private async Task HandOverQueuedAsync(FrontEndWork work)
    {
        while (inbox.Reader.TryRead(out var item))
        {
            try
            {
                await HandOverAsync(work, item);
            }
            catch (OperationCanceledException) when (work.Token.IsCancellationRequested)
            {
                await HandOnAsync(item);
                work.CountDropped();
            }
        }
    }

    private async Task HandOverAsync(FrontEndWork work, SlackInbound item)
    {
        var cancellationToken = work.Token;
        switch (item)
        {
            case InboundEvent inbound when await events.TriageAsync(inbound, cancellationToken) is { } question:
                AnswerWhenFree(work, question);
                break;
            case InboundCommand command:
                // Not queued behind mentions: its acknowledgement is already sent, the user waits for the result.
                work.Track(commands.HandleAsync(command.Command, cancellationToken));
                break;
        }
    }

    /// <summary>
    /// Past the drain time a question still queued is not answered here: it is claimed with its payload and abandoned at
    /// once, so that another process (or this one, started again) answers it.
    /// </summary>
    private async Task HandOnAsync(SlackInbound item)
    {
        if (item is InboundEvent inbound && await events.TriageAsync(inbound, CancellationToken.None) is { } question)
            await question.Claim.AbandonAsync();
    }

    /// <summary>A question another claimant acknowledged and then stopped answering, answered as if it had just come.</summary>
    private async Task RecoverAsync(FrontEndWork work, ClaimedEvent claim, string payload)
    {
        if (await events.RecoverAsync(claim, payload) is { } question)
            AnswerWhenFree(work, question);
    }

    // Dropped unanswered when the drain time ends with it still waiting: its claim is abandoned, so that another process
    // (or this one, started again) answers it; Slack will not deliver it again.
    private void AnswerWhenFree(FrontEndWork work, SlackQuestion question) =>
        work.Answer(ct => events.AnswerAsync(question, ct), ex => LogHandlerFailed(ex, question.Channel, question.Ts), question.Claim.AbandonAsync);

    private T GetService<T>() where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: signed in as bot user {UserId} in workspace {Team} ({Mode})")]
    private partial void LogIdentified(string userId, string team, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Slack bot token lacks the scope(s) {Scopes}: add them under OAuth & Permissions (see src/NewsBot.Slack/slack-app-manifest.json and the README) and reinstall the app")]
    private partial void LogMissingScopes(string scopes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack auth.test failed ({Error}); trying again in {Seconds:0.#} s")]
    private partial void LogIdentifyFailed(string error, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling message {Channel}/{Ts} failed")]
    private partial void LogHandlerFailed(Exception exception, string channel, string ts);
}
