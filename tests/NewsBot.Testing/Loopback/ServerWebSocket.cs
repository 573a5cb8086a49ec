using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace NewsBot.Testing.Loopback;

/// <summary>
/// The emulator's end of one WebSocket the bot opened: sends that wait their turn and shrug off a bot that went
/// away, the bot's frames as it sent them, and how the connection ended. Platform emulators derive from it to
/// add what their protocol tracks per connection.
/// </summary>
public class ServerWebSocket(WebSocket socket)
{
    private const int ReceiveBufferBytes = 64 * 1024;
    private readonly SemaphoreSlim _send = new(1, 1);

    /// <summary>Every frame the bot sent, parsed, in order.</summary>
    public ConcurrentQueue<JsonObject> Received { get; } = new();

    /// <summary>The connection broke without a close handshake (an abort, a reset).</summary>
    public bool Dropped { get; private set; }

    /// <summary>The close code the bot sent, if it closed the connection itself.</summary>
    public int? ClientCloseCode { get; private set; }

    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Parses a text frame the bot sent and records it in <see cref="Received"/>.</summary>
    public JsonObject Record(string text)
    {
        var frame = JsonNode.Parse(text)!.AsObject();
        Received.Enqueue(frame);
        return frame;
    }

    /// <summary>
    /// Reads the bot's text messages until it closes the connection (answered with a close frame), the connection
    /// breaks, or <paramref name="onMessage"/> returns false. An exception of the emulator's own goes to
    /// <paramref name="onFailure"/>, so the test can report it instead of timing out.
    /// </summary>
    public async Task ServeAsync(Func<string, Task<bool>> onMessage, Action<Exception> onFailure)
    {
        var buffer = new byte[ReceiveBufferBytes];
        try
        {
            while (await ReceiveTextAsync(buffer) is { } text)
            {
                if (!await onMessage(text))
                    return;
            }

            ClientCloseCode = socket.CloseStatus is { } status ? (int)status : null;
            if (socket.State == WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Dropped = true;
        }
        catch (Exception ex)
        {
            onFailure(ex);
            Dropped = true;
        }
        finally
        {
            Ended.TrySetResult();
        }
    }

    public Task SendAsync(string frame) =>
        WhileOpenAsync(() => socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None));

    /// <summary>Closes the connection from the service's side with a close code of its protocol.</summary>
    public Task CloseAsync(int code) =>
        WhileOpenAsync(() => socket.CloseOutputAsync((WebSocketCloseStatus)code, "emulated", CancellationToken.None));

    /// <summary>Drops the TCP connection without a close frame, like a network failure.</summary>
    public void Abort() => socket.Abort();

    /// <summary>Runs one send at a time (a WebSocket allows no more), and none once the bot has gone away.</summary>
    private async Task WhileOpenAsync(Func<Task> send)
    {
        await _send.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
                await send();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The bot went away meanwhile.
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>One whole text message, or null once the bot sent a close frame.</summary>
    private async Task<string?> ReceiveTextAsync(byte[] buffer)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }
}
