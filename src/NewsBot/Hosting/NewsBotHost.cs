using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord;
using NewsBot.Embeddings.Local;
using NewsBot.Generative;
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
        });
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

    /// <summary>
    /// Builds the host and brings the index up to date with the seeds folder. With <paramref name="loadModels"/>, for
    /// verbs about to answer questions, the models load meanwhile (<see cref="ModelPreload"/>).
    /// </summary>
    public static async Task<IHost> BuildReadyAsync(
        HostSettings settings, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken, Action<HostApplicationBuilder>? configure = null,
        bool loadModels = false)
    {
        var host = Build(settings, configure);
        await ValidateOptionsAsync(host, cancellationToken);
        if (loadModels)
            ModelPreload.Start(host.Services);
        // Skipped files are logged by the ingestor as warnings.
        await host.Services.GetRequiredService<Ingestor>().ReloadAsync(progress, cancellationToken);
        return host;
    }

    /// <summary>Runs start-up validation of every options class without starting hosted services.</summary>
    public static Task ValidateOptionsAsync(IHost host, CancellationToken cancellationToken)
    {
        var validator = host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>();
        validator?.Validate();
        return Task.CompletedTask;
    }
}

/// <summary>A configuration problem the user must fix; its message names the key or file.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
