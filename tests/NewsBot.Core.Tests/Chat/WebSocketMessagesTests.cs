using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using NewsBot.Chat;

namespace NewsBot.Core.Tests.Chat;

public sealed class WebSocketMessagesTests
{
    [Fact]
    public async Task A_message_sent_in_several_frames_is_read_whole_and_a_close_frame_reads_as_false()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var (server, client) = await ConnectedPairAsync(timeout.Token);
        using (server)
        using (client)
        {
            var text = string.Concat(Enumerable.Repeat("a frame larger than one read ", 1000));
            var bytes = Encoding.UTF8.GetBytes(text);
            var thirds = new[] { bytes[..5000], bytes[5000..20000], bytes[20000..] };
            for (var i = 0; i < thirds.Length; i++)
                await server.SendAsync(thirds[i], WebSocketMessageType.Text, endOfMessage: i == thirds.Length - 1, timeout.Token);
            await server.SendAsync("second"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var buffer = new ArrayBufferWriter<byte>();

            Assert.True(await client.ReceiveMessageAsync(buffer, timeout.Token));
            Assert.Equal(text, Encoding.UTF8.GetString(buffer.WrittenSpan));
            Assert.True(await client.ReceiveMessageAsync(buffer, timeout.Token));
            Assert.Equal("second", Encoding.UTF8.GetString(buffer.WrittenSpan));

            await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            Assert.False(await client.ReceiveMessageAsync(buffer, timeout.Token));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        }
    }

    /// <summary>Two ends of one WebSocket over a real loopback TCP connection (framing only; no HTTP upgrade is needed for this).</summary>
    private static async Task<(WebSocket Server, WebSocket Client)> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptTcpClientAsync(cancellationToken).AsTask();
        var tcpClient = new TcpClient();
        await tcpClient.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
        var tcpServer = await accepting;
        var server = WebSocket.CreateFromStream(tcpServer.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var client = WebSocket.CreateFromStream(tcpClient.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        return (server, client);
    }
}
