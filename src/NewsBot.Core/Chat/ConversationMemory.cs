using System.Collections.Concurrent;

namespace NewsBot.Chat;

/// <summary>
/// In-process conversation memory: the last few turns per conversation, forgotten after a quiet spell,
/// and never more than a bounded number of conversations at once.
/// </summary>
public sealed class ConversationMemory(TimeProvider time, int turnsKept = 4, TimeSpan? expiry = null, int maxConversations = 10_000)
    : IConversationMemory
{
    private readonly ConcurrentDictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly TimeSpan _expiry = expiry ?? TimeSpan.FromMinutes(30);

    public IReadOnlyList<ConversationTurn> Recall(string conversationId)
    {
        if (!_conversations.TryGetValue(conversationId, out var conversation))
            return [];
        lock (conversation)
        {
            var now = time.GetUtcNow();
            return [.. conversation.Turns.Where(t => now - t.At <= _expiry)];
        }
    }

    public void Remember(string conversationId, ConversationTurn turn)
    {
        if (_conversations.Count >= maxConversations && !_conversations.ContainsKey(conversationId))
            Evict();
        var conversation = _conversations.GetOrAdd(conversationId, _ => new Conversation());
        lock (conversation)
        {
            conversation.Turns.Add(turn);
            if (conversation.Turns.Count > turnsKept)
                conversation.Turns.RemoveAt(0);
            conversation.LastAt = turn.At;
        }
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var (id, conversation) in _conversations)
        {
            if (now - conversation.LastAt > _expiry)
                _conversations.TryRemove(id, out _);
        }

        while (_conversations.Count >= maxConversations)
        {
            var oldest = _conversations.MinBy(c => c.Value.LastAt).Key;
            _conversations.TryRemove(oldest, out _);
        }
    }

    private sealed class Conversation
    {
        public List<ConversationTurn> Turns { get; } = [];

        public DateTimeOffset LastAt { get; set; }
    }
}
