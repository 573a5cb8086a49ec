using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Testing.Loopback;

/// <summary>
/// Kestrel on 127.0.0.1 at a port the system picks, serving the routes an emulator maps: the bot under test
/// talks real HTTP and WebSocket to it, and nothing leaves the machine.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    // A request still held open by the emulator (a scripted slow reply) must not hold up the test's end.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's root, http://127.0.0.1:port/.</summary>
    public Uri BaseUrl { get; }

    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> mapRoutes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        mapRoutes(app);
        await app.StartAsync();
        return new LoopbackServer(app, new Uri(app.Urls.First()));
    }

    /// <summary>The ws:// address of a path on this server, as a service hands it out for the bot to connect to.</summary>
    public Uri WebSocketUrl(string path, string query = "") => new UriBuilder(BaseUrl) { Scheme = "ws", Path = path, Query = query }.Uri;

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
