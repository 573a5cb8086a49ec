using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NewsBot.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NewsBot.Host.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Health</c> and <c>Telemetry</c> settings (validated for every verb, since they share one
    /// appsettings.json), and metrics plus a trace per question (question → answer → retrieve, verify) pushed
    /// over OTLP to <c>Telemetry:OtlpEndpoint</c> when it is set, with the PostgreSQL client's own (Npgsql's
    /// connection and command metrics, a span per database command) when the store is PostgreSQL.
    /// </summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.ListenUrl) || IsHttpUrl(o.ListenUrl), "Health:ListenUrl must be an http:// or https:// URL such as http://127.0.0.1:9090.")
            .ValidateOnStart();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || IsHttpUrl(o.OtlpEndpoint), "Telemetry:OtlpEndpoint must be an http:// or https:// URL such as http://127.0.0.1:4317.")
            .ValidateOnStart();

        var otlp = configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}"];
        if (!string.IsNullOrWhiteSpace(otlp) && IsHttpUrl(otlp))
        {
            var endpoint = new Uri(otlp);
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("newsbot"))
                .WithMetrics(metrics => metrics.AddMeter(NewsBotTelemetry.Name).AddNpgsqlInstrumentation().AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithTracing(tracing => tracing.AddSource(NewsBotTelemetry.Name).AddNpgsql().AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        return services;
    }

    /// <summary><c>/healthz</c> and <c>/metrics</c> on <c>Health:ListenUrl</c> while the host runs, when it is set.</summary>
    public static IServiceCollection AddHealthEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<HealthEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthEndpoint>());
        return services;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
