using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Telemetry;
using Npgsql;
using OpenTelemetry.Metrics;

namespace NewsBot.Host.Operations;

/// <summary>
/// <c>/healthz</c> (503 until an index is loaded, then 200 with its version, counts and freshness, "degraded" while the
/// store cannot be followed or the last ingest failed; 503 again while a chat front end that crashed waits to be started
/// again, each front end's state in the body) and <c>/metrics</c> (Prometheus text format) on <c>Health:ListenUrl</c>, for
/// load balancers and scrapers watching several processes.
/// </summary>
internal sealed partial class HealthEndpoint(
    CurrentIndex index,
    IndexHealth indexHealth,
    IMeterFactory meters,
    IOptions<HealthOptions> options,
    ILogger<HealthEndpoint> logger,
    IFrontEndHealth? frontEnds = null)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address Kestrel listens on (useful when the port was 0); null when the endpoint is off.</summary>
    public Uri? Address { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken) => ListenAsync(cancellationToken);

    /// <summary>
    /// Binds and starts serving, once. <c>run</c> calls it before the host starts its services: a port already in use is
    /// then one configuration error, not a failed host start that the host logs with its stack trace first.
    /// </summary>
    /// <exception cref="ConfigurationException">The address cannot be listened on.</exception>
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.ListenUrl;
        if (_app is not null || string.IsNullOrWhiteSpace(url))
            return;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        // The engine's instruments are process-wide, so this endpoint's own meter provider sees them all; the index
        // freshness gauges are each host's own (on its meter factory), and another host's in this process are not this one's.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(NewsBotTelemetry.Name)
            .AddView(instrument => instrument.Meter.Scope is IMeterFactory other && other != meters ? MetricStreamConfiguration.Drop : null)
            .AddNpgsqlInstrumentation()
            // Each scrape reads the state now: one answered from the last scrape's cache could contradict /healthz read just before.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        var app = builder.Build();
        app.MapGet("/healthz", Health);
        app.MapPrometheusScrapingEndpoint("/metrics");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new ConfigurationException($"Health:ListenUrl: cannot listen on {url}: {BindFailure(e)}");
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = address is null ? null : new Uri(address);
        LogListening(logger, address ?? url);
    }

    /// <summary>
    /// Kestrel's "Failed to bind to address http://…: address already in use." repeats the address the line already
    /// names; the socket's own reason is enough.
    /// </summary>
    private static string BindFailure(IOException exception) => exception switch
    {
        { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } => "the address is already in use (another process listens there)",
        { InnerException: System.Net.Sockets.SocketException socket } => socket.Message,
        _ => exception.Message,
    };

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    /// <remarks>
    /// A degraded process (its store unreachable, failing, damaged or being repaired, or its last ingest failed) still
    /// answers 200: the index it serves was whole when loaded and answers questions as well as it did a minute ago, and
    /// when the store is shared every process behind the load balancer is degraded at once, so taking them out would turn
    /// a stale index into no answers at all. 503 stays for a process that cannot answer: no index yet, or a chat front
    /// end down. Alert on <c>status</c> or <c>newsbot_index_degraded</c> and <c>newsbot_index_refresh_age_seconds</c>.
    /// </remarks>
    private IResult Health()
    {
        var snapshot = index.Snapshot;
        var freshness = indexHealth.Current;
        var statuses = frontEnds?.FrontEnds ?? [];
        var restarting = statuses.Any(f => f.State == FrontEndState.Restarting);
        var status = !index.Loaded ? "loading" : restarting ? "restarting" : freshness.Degraded ? "degraded" : "ok";
        var body = new HealthReport(
            status, index.Version, snapshot.Articles.Count, snapshot.SentenceCount, snapshot.ChunkCount,
            freshness.LoadedAt, freshness.LastRefreshAt, freshness.Problems, statuses);
        return Results.Json(body, HealthJson, statusCode: index.Loaded && !restarting ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics on {Address} (/healthz, /metrics)")]
    private static partial void LogListening(ILogger logger, string address);

    private sealed record HealthReport(
        string Status,
        long IndexVersion,
        int Sources,
        int Sentences,
        int Chunks,
        DateTimeOffset? LoadedAt,
        DateTimeOffset? LastRefreshAt,
        IReadOnlyList<IndexProblem> Problems,
        IReadOnlyList<FrontEndStatus> FrontEnds);

    /// <summary>Web defaults (camelCase), with front-end states as words ("restarting") rather than numbers.</summary>
    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
