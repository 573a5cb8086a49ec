namespace NewsBot.Host.Operations;

/// <summary>The health and metrics endpoint (section <c>Health</c>); off unless <see cref="ListenUrl"/> is set.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Where Kestrel serves <c>/healthz</c> and <c>/metrics</c>, e.g. <c>http://127.0.0.1:9090</c>.</summary>
    public string? ListenUrl { get; set; }
}

/// <summary>Where metrics and traces are pushed over OTLP (section <c>Telemetry</c>); nothing is pushed unless set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector endpoint (gRPC, e.g. <c>http://127.0.0.1:4317</c>).</summary>
    public string? OtlpEndpoint { get; set; }
}
