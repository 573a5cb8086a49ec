using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Host.Hosting;
using NewsBot.Host.Operations;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.MultiProcess;

/// <summary>With the PostgreSQL store, <c>/metrics</c> also serves Npgsql's own instruments (connections, commands).</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class PostgresTelemetryTests(PostgresServer server)
{
    [Fact]
    public async Task Metrics_include_the_database_clients_instruments()
    {
        using var workspace = new Workspace();
        using var host = workspace.BuildHost(
            settings: new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = await server.CreateDatabaseAsync(),
                ["Health:ListenUrl"] = "http://127.0.0.1:0",
            },
            configure: FrontEnds.Add);
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = host.Services.GetRequiredService<HealthEndpoint>().Address!, Timeout = TimeSpan.FromSeconds(30) };
            for (var attempt = 0; attempt < 600; attempt++)
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK
                    && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sources").GetInt32() == 1)
                    break;
                await Task.Delay(100);
            }

            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

            Assert.Contains("newsbot_index_version", metrics, StringComparison.Ordinal);
            Assert.Contains("db_client_", metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, metrics, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
