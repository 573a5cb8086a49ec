using System.Text.Json;
using System.Threading.Channels;
using NewsBot.Slack.Commands;

namespace NewsBot.Slack.Events;

/// <summary>Something Slack delivered and that was already acknowledged: the slow work happens after.</summary>
internal abstract record SlackInbound;

/// <summary>An Events API callback (the outer event_callback object), from Socket Mode or HTTP.</summary>
/// <param name="RetryAttempt">Slack's retry counter (retry_attempt or X-Slack-Retry-Num); 0 on first delivery.</param>
internal sealed record InboundEvent(JsonElement Callback, int RetryAttempt) : SlackInbound;

internal sealed record InboundCommand(SlashCommand Command) : SlackInbound;

/// <summary>The queue between the transports (Socket Mode, HTTP) and the front end that answers.</summary>
internal sealed class SlackInbox
{
    private readonly Channel<SlackInbound> _queue = Channel.CreateBounded<SlackInbound>(new BoundedChannelOptions(1024) { SingleReader = true });

    public ChannelReader<SlackInbound> Reader => _queue.Reader;

    public ValueTask WriteAsync(SlackInbound item, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(item, cancellationToken);

    /// <summary>For HTTP requests, which must be acknowledged at once: false when the queue is full.</summary>
    public bool TryWrite(SlackInbound item) => _queue.Writer.TryWrite(item);
}
