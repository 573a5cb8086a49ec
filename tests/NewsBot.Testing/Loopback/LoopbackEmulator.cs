using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NewsBot.Testing.Loopback;

/// <summary>
/// What every emulated chat platform shares: its <see cref="LoopbackServer"/>, the WebSocket connections the bot
/// opened, the failures a test scripts, the protocol problems it saw in the bot's traffic and its own first
/// failure. A subclass maps its platform's routes and speaks its protocol.
/// </summary>
/// <param name="defaultWaitSeconds">How long <see cref="WaitUntilAsync"/> waits when the test does not say.</param>
public abstract class LoopbackEmulator<TConnection, TFault>(double defaultWaitSeconds) : IAsyncDisposable
    where TConnection : ServerWebSocket
{
    private LoopbackServer? _server;
    private string? _failure;

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Everything the bot did against the platform's documentation.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public ConcurrentQueue<TConnection> Connections { get; } = new();

    /// <summary>The first exception thrown inside the emulator, if any.</summary>
    public string? Failure => Volatile.Read(ref _failure);

    protected FaultScript<TFault> Faults { get; } = new();

    protected RetryAfterWindows RetryAfter { get; } = new();

    protected LoopbackServer Server => _server ?? throw new InvalidOperationException("The emulator has not been started.");

    /// <summary>Throws the emulator's own failure, if it had one.</summary>
    public void ThrowIfFailed()
    {
        if (Failure is { } failure)
            throw new InvalidOperationException(failure);
    }

    /// <summary>
    /// Waits for a condition, but fails at once when the emulator itself broke (a missing test file, a bug),
    /// so the test reports that exception instead of timing out.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, double? seconds = null)
    {
        var limit = TimeSpan.FromSeconds(seconds ?? defaultWaitSeconds);
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            ThrowIfFailed();
            if (TimeProvider.System.GetElapsedTime(started) > limit)
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for: {what}. Problems: {string.Join(" | ", Problems)}");
            await Task.Delay(10);
        }
    }

    /// <summary>Scripts failures for the next requests on one route (as the platform's emulator names its routes).</summary>
    public void Inject(string route, params TFault[] faults) => Faults.Add(route, faults);

    /// <summary>Starts <paramref name="emulator"/>'s loopback server with its platform's routes.</summary>
    protected static async Task<TEmulator> ListenAsync<TEmulator>(TEmulator emulator)
        where TEmulator : LoopbackEmulator<TConnection, TFault>
    {
        emulator._server = await LoopbackServer.StartAsync(emulator.MapRoutes);
        return emulator;
    }

    protected abstract void MapRoutes(WebApplication app);

    protected void Fail(string message)
    {
        Interlocked.CompareExchange(ref _failure, message, null);
        Problems.Enqueue(message);
    }

    /// <summary>
    /// Accepts the bot's WebSocket, greets it as the platform does, and hands it every message until it closes or
    /// drops. <paramref name="onMessage"/> returns false to stop reading (after the emulator closed the connection).
    /// </summary>
    protected async Task AcceptAsync(
        HttpContext context,
        string what,
        Func<WebSocket, TConnection> open,
        Func<TConnection, Task> greet,
        Func<TConnection, string, Task<bool>> onMessage)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = open(socket);
        Connections.Enqueue(connection);
        await greet(connection);
        await connection.ServeAsync(
            text => onMessage(connection, text),
            ex => Fail($"emulator failed on {what}: {ex.GetType().Name}: {ex.Message}"));
    }

    /// <summary>
    /// Reads a request's body and lets <paramref name="route"/> answer it; when the emulator itself throws, the
    /// bot gets a 500, the failure is kept, and <paramref name="failed"/> is what the request is recorded as.
    /// </summary>
    protected async Task<(string Body, TResult Result)> ServeRequestAsync<TResult>(HttpContext context, string what, Func<string, Task<TResult>> route, TResult failed)
    {
        var body = await context.Request.ReadBodyAsync();
        try
        {
            return (body, await route(body));
        }
        catch (Exception ex)
        {
            Fail($"emulator failed on {what}: {ex.GetType().Name}: {ex.Message}");
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return (body, failed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in Connections)
            connection.Abort();
        if (_server is not null)
            await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
