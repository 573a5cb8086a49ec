using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Host.Operations;

namespace NewsBot.Tests.Support;

/// <summary>
/// A host's <c>/healthz</c> and <c>/metrics</c>, over real HTTP on loopback. With a fake clock, each read while waiting
/// moves it a second on, so the host's backoff delays elapse and what it dates differs from one read to the next.
/// </summary>
public sealed partial class HealthProbe(IHost host, FakeTimeProvider? time = null) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = host.Services.GetRequiredService<HealthEndpoint>().Address!,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync()
    {
        using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    /// <summary>Reads <c>/healthz</c> every 20 ms (at most 60 s) until <paramref name="done"/>; returns the last answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> WaitForAsync(Func<HttpStatusCode, JsonElement, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (status, body) = await ReadAsync();
            if (done(status, body) || attempt == 3000)
                return (status, body);
            time?.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }

    /// <summary>Reads <c>/healthz</c> until its <c>status</c> is <paramref name="status"/>.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> WaitForStatusAsync(string status) =>
        WaitForAsync((_, body) => body.GetProperty("status").GetString() == status);

    public Task<string> MetricsAsync() => _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>The value of the one series of <paramref name="name"/> on <c>/metrics</c> (failing when there is none or several).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var metrics = await MetricsAsync();
        var series = metrics.Split('\n').Select(l => Series().Match(l)).Where(m => m.Success && m.Groups["name"].Value == name).ToList();
        Assert.True(series.Count == 1, $"{series.Count} series of {name} on /metrics:\n{metrics}");
        return double.Parse(series[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>\S+)")]
    private static partial Regex Series();
}
