using System.Collections.Concurrent;
using System.Diagnostics;

namespace NewsBot.Testing.Loopback;

/// <summary>
/// The Retry-After the emulator answered per rate-limit key, so it can tell when the bot calls again too soon.
/// Times are <see cref="Stopwatch"/> timestamps.
/// </summary>
public sealed class RetryAfterWindows
{
    private readonly ConcurrentDictionary<string, long> _until = new();

    public void Block(string key, long from, double seconds) => _until[key] = from + (long)(seconds * Stopwatch.Frequency);

    public bool IsBlocked(string key, long at) => _until.TryGetValue(key, out var until) && at < until;
}
