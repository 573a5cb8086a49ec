using System.Buffers;
using System.Net.WebSockets;

namespace NewsBot.Chat;

/// <summary>Reading whole messages from a chat platform's WebSocket (Discord's gateway, Slack's Socket Mode).</summary>
public static class WebSocketMessages
{
    private const int ReadSize = 8192;

    /// <summary>
    /// Reads one whole message, however many frames it came in, into <paramref name="buffer"/> (cleared first).
    /// False when the other side sent a close frame instead.
    /// </summary>
    public static async Task<bool> ReceiveMessageAsync(this WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(ReadSize), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return false;
            buffer.Advance(result.Count);
            if (result.EndOfMessage)
                return true;
        }
    }
}
