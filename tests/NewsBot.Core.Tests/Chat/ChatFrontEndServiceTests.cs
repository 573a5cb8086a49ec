using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Telemetry;
using NewsBot.Testing.FrontEnds;
using NewsBot.Testing.Logging;

namespace NewsBot.Core.Tests.Chat;

/// <summary>The host's front-end runner in a real host, with real (tiny) restart waits, around a scripted front end.</summary>
public sealed class ChatFrontEndServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string?> QuickRestarts = new()
    {
        ["FrontEnds:RestartDelayMin"] = "00:00:00.010",
        ["FrontEnds:RestartDelayMax"] = "00:00:00.050",
    };

    [Fact]
    public async Task A_front_end_that_crashes_twice_is_started_again_after_each_crash_and_then_serves()
    {
        var name = UniqueName();
        using var restarts = new RestartCounter(name);
        var frontEnd = new ScriptedFrontEnd(
            name,
            ScriptedFrontEnd.Crash(new InvalidOperationException("unexpected opcode 42\nin frame 7")),
            ScriptedFrontEnd.Crash(new IOException("connection reset")));
        using var host = BuildHost(frontEnd, QuickRestarts, out var logs);

        await host.StartAsync();
        await frontEnd.Serving.Task.WaitAsync(Patience);

        Assert.Equal(3, frontEnd.Runs);
        var status = Assert.Single(Runner(host).FrontEnds);
        Assert.Equal(new FrontEndStatus(name, FrontEndState.Running, 2, status.LastCrashAt, nameof(IOException)), status);
        Assert.NotNull(status.LastCrashAt);
        var lines = logs.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith($"The {name} front end crashed (InvalidOperationException: unexpected opcode 42 in frame 7); starting it again in ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"The {name} front end crashed (IOException: connection reset); starting it again in ", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, restarts.Count);
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await host.StopAsync();
    }

    [Fact]
    public async Task Stopping_while_a_crashed_front_end_waits_for_its_restart_returns_at_once()
    {
        var frontEnd = new ScriptedFrontEnd(UniqueName(), ScriptedFrontEnd.Crash(new InvalidOperationException("bug")));
        var slowRestarts = new Dictionary<string, string?> { ["FrontEnds:RestartDelayMin"] = "00:10:00", ["FrontEnds:RestartDelayMax"] = "00:10:00" };
        using var host = BuildHost(frontEnd, slowRestarts, out _);
        await host.StartAsync();
        var runner = Runner(host);
        var status = await WaitForAsync(() => runner.FrontEnds[0], s => s.State == FrontEndState.Restarting);
        Assert.InRange(status.RestartAt!.Value - status.LastCrashAt!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

        var stopping = Stopwatch.StartNew();
        using (var timeout = new CancellationTokenSource(Patience))
            await host.StopAsync(timeout.Token);

        Assert.True(runner.ExecuteTask!.IsCompletedSuccessfully);
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(1, frontEnd.Runs);
    }

    [Fact]
    public async Task The_wait_doubles_for_each_crash_in_a_row_and_starts_over_after_a_healthy_run()
    {
        var frontEnd = new ScriptedFrontEnd(
            UniqueName(),
            ScriptedFrontEnd.Crash(new IOException("connection reset")),
            ScriptedFrontEnd.Crash(new IOException("connection reset")),
            async ct =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
                throw new IOException("connection reset");
            });
        var settings = new Dictionary<string, string?>
        {
            ["FrontEnds:RestartDelayMin"] = "00:00:01",
            ["FrontEnds:RestartDelayMax"] = "00:00:08",
            ["FrontEnds:HealthyAfter"] = "00:00:00.300",
        };
        using var host = BuildHost(frontEnd, settings, out _);
        await host.StartAsync();
        var runner = Runner(host);

        // Each wait is jittered into the upper half of 1 s, 2 s, 4 s…
        var waits = new List<TimeSpan>();
        for (var crashes = 1; crashes <= 3; crashes++)
        {
            var expected = crashes;
            var status = await WaitForAsync(() => runner.FrontEnds[0], s => s.State == FrontEndState.Restarting && s.Crashes == expected);
            Assert.Equal(expected, status.Crashes);
            waits.Add(status.RestartAt!.Value - status.LastCrashAt!.Value);
        }

        await host.StopAsync();
        Assert.InRange(waits[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(waits[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        // The third run lasted 400 ms, past HealthyAfter: not a crash loop, so the shortest wait again instead of 2-4 s.
        Assert.InRange(waits[2], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_refusal_after_a_restart_still_stops_the_host_and_is_not_restarted()
    {
        var name = UniqueName();
        var frontEnd = new ScriptedFrontEnd(
            name,
            ScriptedFrontEnd.Crash(new IOException("connection reset")),
            ScriptedFrontEnd.Crash(new FrontEndRefusedException("Discord refused Discord:Token (4004 Authentication failed).")));
        using var host = BuildHost(frontEnd, QuickRestarts, out var logs);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        await host.StartAsync();
        await stopping.Task.WaitAsync(Patience);
        var runner = Runner(host);
        await runner.ExecuteTask!.WaitAsync(Patience);

        Assert.Equal(2, frontEnd.Runs);
        Assert.Equal("Discord refused Discord:Token (4004 Authentication failed).", runner.Refusal?.Message);
        Assert.Equal(FrontEndState.Refused, runner.FrontEnds[0].State);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message == $"The {name} front end stopped and NewsBot with it: Discord refused Discord:Token (4004 Authentication failed).");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_front_end_that_returns_by_itself_is_logged_as_stopped_and_not_started_again()
    {
        var name = UniqueName();
        var frontEnd = new ScriptedFrontEnd(name, _ => Task.CompletedTask);
        using var host = BuildHost(frontEnd, QuickRestarts, out var logs);

        await host.StartAsync();
        var runner = Runner(host);
        await runner.ExecuteTask!.WaitAsync(Patience);

        Assert.Equal(1, frontEnd.Runs);
        Assert.Equal(new FrontEndStatus(name, FrontEndState.Stopped), runner.FrontEnds[0]);
        Assert.True(logs.Contains($"The {name} front end has stopped; NewsBot keeps running without it"));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("RestartDelayMin", "00:00:00", "FrontEnds:RestartDelayMin must be greater than 0")]
    [InlineData("RestartDelayMax", "00:00:00.001", "not above RestartDelayMax")]
    [InlineData("HealthyAfter", "-00:00:01", "FrontEnds:HealthyAfter must be greater than 0")]
    [InlineData("StopDrainTime", "-00:00:01", "FrontEnds:StopDrainTime must be between 0 and 10 minutes")]
    [InlineData("StopDrainTime", "00:10:00.001", "FrontEnds:StopDrainTime must be between 0 and 10 minutes")]
    public async Task Restart_settings_out_of_range_stop_the_host_at_start_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>(QuickRestarts) { [$"FrontEnds:{key}"] = value };
        using var host = BuildHost(new ScriptedFrontEnd(UniqueName()), settings, out _);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(IChatFrontEnd frontEnd, IReadOnlyDictionary<string, string?> settings, out TestLogs logs)
    {
        logs = new TestLogs();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(frontEnd);
        builder.Services.AddFrontEndLifetimeOptions(builder.Configuration).AddChatFrontEndRunner();
        return builder.Build();
    }

    private static ChatFrontEndService Runner(IHost host) => host.Services.GetRequiredService<ChatFrontEndService>();

    /// <summary>The telemetry meter is process-wide and tests run in parallel: each test's front end has its own name.</summary>
    private static string UniqueName() => $"Scripted-{Guid.NewGuid():N}"[..17];

    /// <summary>Counts <c>newsbot.frontend.restarts</c> for one front end.</summary>
    private sealed class RestartCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public RestartCounter(string frontEnd)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NewsBotTelemetry.Name && instrument.Name == "newsbot.frontend.restarts")
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "frontend" && Equals(tag.Value, frontEnd))
                        Interlocked.Add(ref _count, (int)value);
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value) || deadline.Elapsed > Patience)
                return value;
            await Task.Delay(10);
        }
    }
}
