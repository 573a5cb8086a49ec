using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace NewsBot.Testing.Loopback;

/// <summary>Scripted failures per emulated route: a request on a route takes the next fault queued for it.</summary>
public sealed class FaultScript<TFault>
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TFault>> _queues = new();

    public void Add(string route, IEnumerable<TFault> faults)
    {
        var queue = _queues.GetOrAdd(route, _ => new ConcurrentQueue<TFault>());
        foreach (var fault in faults)
            queue.Enqueue(fault);
    }

    /// <summary>Takes the route's next fault when there is one and it <paramref name="applies"/> to this request.</summary>
    public bool TryTake(string route, [MaybeNullWhen(false)] out TFault fault, Func<TFault, bool>? applies = null)
    {
        fault = default;
        return _queues.TryGetValue(route, out var queue)
            && queue.TryPeek(out var next) && (applies is null || applies(next))
            && queue.TryDequeue(out fault);
    }
}
