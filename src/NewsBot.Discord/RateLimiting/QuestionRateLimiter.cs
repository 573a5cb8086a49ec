using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord.RateLimiting;

internal enum QuestionVerdict
{
    Allowed,

    /// <summary>Over the limit, and this person has not been told yet: send one short notice.</summary>
    LimitedNotify,

    /// <summary>Over the limit and already told: stay quiet rather than spam.</summary>
    LimitedQuiet,
}

/// <summary>Per-user and per-channel token buckets for questions.</summary>
internal sealed class QuestionRateLimiter(IOptions<DiscordOptions> options, TimeProvider time)
{
    private const int PruneThreshold = 10_000;
    private readonly DiscordQuestionLimits _limits = options.Value.QuestionLimits;
    private readonly ConcurrentDictionary<string, TokenBucket> _users = new();
    private readonly ConcurrentDictionary<string, TokenBucket> _channels = new();
    private readonly ConcurrentDictionary<string, byte> _told = new();

    public QuestionVerdict Check(string userId, string channelId, out TimeSpan retryAfter)
    {
        Prune(_users);
        Prune(_channels);
        var user = _users.GetOrAdd(userId, _ => new TokenBucket(_limits.UserBurst, _limits.UserPerMinute / 60, time));
        var channel = _channels.GetOrAdd(channelId, _ => new TokenBucket(_limits.ChannelBurst, _limits.ChannelPerMinute / 60, time));

        // Check the user first so one busy person does not drain the channel's bucket for everyone.
        var allowed = user.TryTake(out retryAfter) && channel.TryTake(out retryAfter);
        var toldKey = userId + "/" + channelId;
        if (allowed)
        {
            _told.TryRemove(toldKey, out _);
            return QuestionVerdict.Allowed;
        }

        return _told.TryAdd(toldKey, 0) ? QuestionVerdict.LimitedNotify : QuestionVerdict.LimitedQuiet;
    }

    private static void Prune(ConcurrentDictionary<string, TokenBucket> buckets)
    {
        if (buckets.Count < PruneThreshold)
            return;
        foreach (var (key, bucket) in buckets)
        {
            if (bucket.IsFull)
                buckets.TryRemove(key, out _);
        }
    }
}
