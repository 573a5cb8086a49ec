using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord;
using NewsBot.Embeddings.Local;
using NewsBot.Generative;
using NewsBot.Host.Cli;
using NewsBot.Host.Operations;
using NewsBot.Ingestion;
using NewsBot.Reader;
using NewsBot.Retrieval.Ann;
using NewsBot.Slack;

namespace NewsBot.Host.Hosting;

/// <summary>How a command wants the host: which extra settings, how chatty the logs.</summary>
/// <param name="ConfigFile">An extra JSON file given with --config, layered over appsettings.json.</param>
/// <param name="Overrides">Settings that win over every file and variable (used by eval for its temporary index).</param>
/// <param name="LogLevel">Least level logged (to standard error).</param>
public sealed record HostSettings(string? ConfigFile, IReadOnlyDictionary<string, string?>? Overrides = null, LogLevel LogLevel = LogLevel.Warning);

/// <summary>
/// Builds the generic host every command runs in: configuration from appsettings.json in the current
/// directory, NEWSBOT__Section__Key environment variables and --config, logs on standard error (standard
/// output is for answers), and the engine with its offline defaults.
/// </summary>
public static class NewsBotHost
{
    public const string EnvironmentPrefix = "NEWSBOT__";

    public static IHost Build(HostSettings settings, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            DisableDefaults = true,
        });

        var configuration = builder.Configuration;
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        if (settings.ConfigFile is not null)
        {
            var path = Path.GetFullPath(settings.ConfigFile);
            if (Directory.Exists(path))
                throw new ConfigurationException($"--config: {path} is a folder, not a settings file.");
            if (!File.Exists(path))
                throw new ConfigurationException($"--config: the file {path} does not exist.");
            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        configuration.AddUserSecrets(typeof(NewsBotHost).Assembly, optional: true);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        if (settings.Overrides is not null)
            configuration.AddInMemoryCollection(settings.Overrides);

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).RouteConsoleAroundTerminalChat();
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddNewsBotCore(configuration);
        builder.Services.AddLocalEmbeddings(configuration);
        builder.Services.AddAnswerReader(configuration);
        builder.Services.AddIndexStore(configuration);
        builder.Services.AddApproximateDenseIndex(configuration);
        builder.Services.AddOperations(configuration);
        // Last: with Llm:Provider set it replaces the extractive answerer, summarizer and condenser, keeping them as fallbacks.
        builder.Services.AddGenerativeAnswering(configuration);
        configure?.Invoke(builder);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        // Room for the front ends to answer what they acknowledged; stopped together, so that every receiver stops at
        // once and the drains overlap instead of adding up.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<NewsBot.Chat.FrontEndLifetimeOptions>>((host, frontEnds) =>
        {
            host.ShutdownTimeout = frontEnds.Value.StopDrainTime + NewsBot.Chat.FrontEndLifetimeOptions.StopMargin;
            host.ServicesStopConcurrently = true;
        });
        if (ConfigurationKeyCheck.Find(configuration, WithEveryFrontEnd(builder.Services, configuration)) is { Count: > 0 } errors)
            throw new OptionsValidationException(nameof(IConfiguration), typeof(IConfiguration), errors);
        return builder.Build();
    }

    /// <summary>
    /// The registrations plus every chat front end's options, so that the key check knows Discord:* and Slack:* in
    /// every verb: a token exported for <c>run</c> must not make <c>ask</c> fail.
    /// </summary>
    private static IServiceCollection WithEveryFrontEnd(IServiceCollection services, IConfiguration configuration)
    {
        IServiceCollection probe = new ServiceCollection();
        foreach (var descriptor in services)
            probe.Add(descriptor);
        probe.AddDiscordFrontEnd(configuration);
        probe.AddSlackFrontEnd(configuration);
        return probe;
    }

    /// <summary>Builds the host and brings the index up to date with the seeds folder (see <see cref="RefreshAsync"/>).</summary>
    public static async Task<IHost> BuildReadyAsync(
        HostSettings settings, ShowRefresh? show, CancellationToken cancellationToken, Action<HostApplicationBuilder>? configure = null)
    {
        var host = Build(settings, configure);
        try
        {
            await ValidateOptionsAsync(host, cancellationToken);
            await RefreshAsync(host, show, cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Brings a built host's index up to date with the seeds folder, shown by <paramref name="show"/> (given the
    /// refresh to run with its progress reporter; null runs it silently). When the refresh fails for a reason outside
    /// NewsBot (an unreadable seeds folder, a read-only index folder) and an index is stored, that index is served, with
    /// one warning line on standard error.
    /// </summary>
    public static async Task RefreshAsync(IHost host, ShowRefresh? show, CancellationToken cancellationToken)
    {
        // Skipped files are logged by the ingestor as warnings.
        var ingestor = host.Services.GetRequiredService<Ingestor>();
        // Loaded first, so that a refresh that cannot even take the ingest lock still leaves the stored index to serve.
        await ingestor.LoadStoredAsync(cancellationToken);
        Task<ReloadReport> Refresh(IProgress<IngestionProgress>? progress) => ingestor.ReloadAsync(progress, cancellationToken);
        try
        {
            await (show is null ? Refresh(null) : show(Refresh));
        }
        catch (IndexRefreshException e) when (ServesStored(host, out var version))
        {
            await Console.Error.WriteLineAsync(StoredIndexWarning(e, version));
        }
    }

    /// <summary>Whether the index in memory (the one stored) has articles to answer from, and its version.</summary>
    public static bool ServesStored(IHost host, out long version)
    {
        var current = host.Services.GetRequiredService<Retrieval.CurrentIndex>();
        version = current.Version;
        return current.Snapshot.Sources.Count > 0;
    }

    /// <summary>The one line said when the index could not be refreshed but the stored one is served.</summary>
    public static string StoredIndexWarning(IndexRefreshException e, long version) =>
        $"warning: {e.Message}; answering from the stored index (version {version}) as it is.";

    /// <summary>Runs start-up validation of every options class without starting hosted services.</summary>
    public static Task ValidateOptionsAsync(IHost host, CancellationToken cancellationToken)
    {
        var validator = host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>();
        validator?.Validate();
        return Task.CompletedTask;
    }
}

/// <summary>Runs a refresh of the index (given its progress reporter) and shows its progress in some way.</summary>
public delegate Task<ReloadReport> ShowRefresh(Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh);

/// <summary>A configuration problem the user must fix; its message names the key or file.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
