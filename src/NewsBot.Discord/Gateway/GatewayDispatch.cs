using System.Text.Json;

namespace NewsBot.Discord.Gateway;

/// <summary>One op-0 event: its name and a detached copy of its data.</summary>
internal sealed record GatewayDispatch(string Type, JsonElement Data);

/// <summary>What NewsBot knows about itself on Discord, filled from configuration and READY.</summary>
internal sealed class DiscordIdentity
{
    public DiscordIdentity(Microsoft.Extensions.Options.IOptions<DiscordOptions> options) =>
        ApplicationId = options.Value.ApplicationId?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string? BotUserId { get; set; }

    public string? ApplicationId { get; set; }
}

/// <summary>Remembers recently seen event ids, because Discord may deliver an event more than once.</summary>
internal sealed class EventDeduplicator(int capacity = 4096)
{
    private readonly HashSet<string> _seen = [];
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True the first time a key is seen.</summary>
    public bool FirstTime(string key)
    {
        lock (_gate)
        {
            if (!_seen.Add(key))
                return false;
            _order.Enqueue(key);
            if (_order.Count > capacity)
                _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
