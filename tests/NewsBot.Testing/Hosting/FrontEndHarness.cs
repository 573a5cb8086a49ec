using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Chat;
using NewsBot.Testing.Logging;

namespace NewsBot.Testing.Hosting;

/// <summary>
/// A chat front end in a real host (its AddXFrontEnd, options validation, hosted service) configured from
/// in-memory settings and pointed at a platform emulator, with the engine the test chose and every log line
/// captured. Subclasses start their platform's emulator and know its settings.
/// </summary>
public abstract class FrontEndHarness<TEmulator> : IAsyncDisposable
    where TEmulator : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly TEmulator _emulator;
    private readonly bool _ownsEmulator;

    /// <param name="ownsEmulator">False when several harnesses (processes) share one emulator, which the test then disposes.</param>
    protected FrontEndHarness(TEmulator emulator, IHost host, TestLogs logs, bool ownsEmulator = true)
    {
        _emulator = emulator;
        _ownsEmulator = ownsEmulator;
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public TestLogs Logs { get; }

    /// <summary>Completes when the front end stops by itself (a fatal close code, a rejected token).</summary>
    public Task FrontEndTask => Host.Services.GetServices<IHostedService>().OfType<ChatFrontEndService>().Single().ExecuteTask!;

    /// <summary>The host with <paramref name="engine"/> as the bot's engine and the front end <paramref name="addFrontEnd"/> registers; not started.</summary>
    protected static (IHost Host, TestLogs Logs) BuildHost(
        IEnumerable<KeyValuePair<string, string?>> settings,
        INewsBotEngine engine,
        Action<IServiceCollection, IConfiguration> addFrontEnd)
    {
        var logs = new TestLogs();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Stopping cuts the work short at once unless a test gives a drain time: disposing a bot whose engine hangs on
        // purpose must not wait out the default 20 s.
        builder.Configuration.AddInMemoryCollection([new("FrontEnds:StopDrainTime", "00:00:00")]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(engine);
        addFrontEnd(builder.Services, builder.Configuration);
        return (builder.Build(), logs);
    }

    public virtual async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
            await Host.StopAsync(timeout.Token);
        Host.Dispose();
        if (_ownsEmulator)
            await _emulator.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
