using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Resilience;
using NewsBot.Telemetry;

namespace NewsBot.Chat;

/// <summary>
/// Runs the registered chat front ends for the lifetime of the host. A front end that the platform refuses (a rejected
/// token) stops the whole host, so that the process exits non-zero and a supervisor notices, instead of idling with
/// nothing to serve. A front end that crashes is started again after a jittered, doubling wait (see
/// <see cref="FrontEndLifetimeOptions"/>) while the others keep running; <see cref="FrontEnds"/> says which is down.
/// </summary>
public sealed partial class ChatFrontEndService : BackgroundService, IFrontEndHealth
{
    private readonly IChatFrontEnd[] _frontEnds;
    private readonly FrontEndStatus[] _statuses;
    private readonly FrontEndLifetimeOptions _restart;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatFrontEndService> _logger;
    private FrontEndRefusedException? _refusal;

    public ChatFrontEndService(
        IEnumerable<IChatFrontEnd> frontEnds,
        IOptions<FrontEndLifetimeOptions> restart,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<ChatFrontEndService> logger)
    {
        _frontEnds = [.. frontEnds];
        _statuses = [.. _frontEnds.Select(f => new FrontEndStatus(f.Name, FrontEndState.Running))];
        _restart = restart.Value;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    /// <summary>Why a front end stopped the host, if one did.</summary>
    public FrontEndRefusedException? Refusal => Volatile.Read(ref _refusal);

    public IReadOnlyList<FrontEndStatus> FrontEnds => [.. _statuses.Select((_, i) => Volatile.Read(ref _statuses[i]))];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_frontEnds.Select((f, i) => SuperviseAsync(f, i, stoppingToken)));

    private async Task SuperviseAsync(IChatFrontEnd frontEnd, int slot, CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(_restart.RestartDelayMin, _restart.RestartDelayMax);
        var crashesInARow = 0;
        while (true)
        {
            var started = _time.GetTimestamp();
            var crash = await RunOnceAsync(frontEnd, slot, stoppingToken);
            if (crash is null)
                return;

            // A front end that served for a while before crashing is not in a crash loop: it gets the short wait again.
            crashesInARow = _time.GetElapsedTime(started) >= _restart.HealthyAfter ? 1 : crashesInARow + 1;
            var delay = backoff.Jittered(crashesInARow, Random.Shared);
            var now = _time.GetUtcNow();
            var status = Volatile.Read(ref _statuses[slot]);
            Volatile.Write(ref _statuses[slot], status with
            {
                State = FrontEndState.Restarting, Crashes = status.Crashes + 1, LastCrashAt = now, LastError = crash.GetType().Name, RestartAt = now + delay,
            });
            NewsBotTelemetry.RecordRestart(frontEnd.Name);
            LogRestarting(frontEnd.Name, crash.GetType().Name, ChatText.OneLine(crash.Message), delay.TotalSeconds);
            LogCrashDetail(crash, frontEnd.Name);
            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            SetState(slot, FrontEndState.Running);
        }
    }

    /// <summary>Runs the front end once; returns what it crashed with, or null when it ended in any other way.</summary>
    private async Task<Exception?> RunOnceAsync(IChatFrontEnd frontEnd, int slot, CancellationToken stoppingToken)
    {
        try
        {
            await frontEnd.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (FrontEndRefusedException ex)
        {
            SetState(slot, FrontEndState.Refused);
            if (Interlocked.CompareExchange(ref _refusal, ex, null) is null)
            {
                LogRefused(frontEnd.Name, ex.Message);
                _lifetime.StopApplication();
            }

            return null;
        }
        catch (Exception ex)
        {
            // One front end failing must not take the host (or the other front ends) down with it.
            return ex;
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            SetState(slot, FrontEndState.Stopped);
            LogStopped(frontEnd.Name);
        }

        return null;
    }

    private void SetState(int slot, FrontEndState state) =>
        Volatile.Write(ref _statuses[slot], Volatile.Read(ref _statuses[slot]) with { State = state, RestartAt = null });

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {FrontEnd} front end stopped and NewsBot with it: {Reason}")]
    private partial void LogRefused(string frontEnd, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {FrontEnd} front end crashed ({ExceptionType}: {Reason}); starting it again in {Seconds:0.#} s")]
    private partial void LogRestarting(string frontEnd, string exceptionType, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {FrontEnd} front end's crash")]
    private partial void LogCrashDetail(Exception exception, string frontEnd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {FrontEnd} front end has stopped; NewsBot keeps running without it")]
    private partial void LogStopped(string frontEnd);
}
