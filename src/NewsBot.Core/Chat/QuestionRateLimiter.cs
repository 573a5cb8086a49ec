using System.Collections.Concurrent;
using System.Globalization;

namespace NewsBot.Chat;

/// <summary>A burst size and a steady rate per minute, per user and per channel.</summary>
public sealed record QuestionLimitSettings(int UserBurst, double UserPerMinute, int ChannelBurst, double ChannelPerMinute);

public enum QuestionVerdict
{
    Allowed,

    /// <summary>Over the limit, and this person has not been told yet in this channel: send one short notice.</summary>
    LimitedNotify,

    /// <summary>Over the limit and already told: stay quiet rather than spam the channel.</summary>
    LimitedQuiet,
}

/// <summary>Per-user and per-channel token buckets for the questions a chat front end accepts.</summary>
public sealed class QuestionRateLimiter(QuestionLimitSettings limits, TimeProvider time)
{
    private const int PruneThreshold = 10_000;
    private readonly ConcurrentDictionary<string, TokenBucket> _users = new();
    private readonly ConcurrentDictionary<string, TokenBucket> _channels = new();
    private readonly ConcurrentDictionary<string, byte> _told = new();

    public QuestionVerdict Check(string userId, string channelId, out TimeSpan retryAfter)
    {
        Prune(_users);
        Prune(_channels);
        var user = _users.GetOrAdd(userId, _ => new TokenBucket(limits.UserBurst, limits.UserPerMinute / 60, time));
        var channel = _channels.GetOrAdd(channelId, _ => new TokenBucket(limits.ChannelBurst, limits.ChannelPerMinute / 60, time));

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

    /// <summary>The one short notice sent to someone over the limit.</summary>
    public static string Notice(TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"You're asking faster than I can answer. Please wait about {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s before the next question.");

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

    /// <summary>A classic token bucket: <c>capacity</c> tokens, refilled continuously at <c>perSecond</c>.</summary>
    private sealed class TokenBucket(double capacity, double perSecond, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly double _capacity = capacity;
        private double _tokens = capacity;
        private long _stamp = time.GetTimestamp();

        /// <summary>Takes one token, or says how long until one is available.</summary>
        public bool TryTake(out TimeSpan retryAfter)
        {
            lock (_gate)
            {
                Refill();
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                return false;
            }
        }

        /// <summary>True when the bucket has refilled completely, so forgetting it changes nothing.</summary>
        public bool IsFull
        {
            get
            {
                lock (_gate)
                {
                    Refill();
                    return _tokens >= _capacity;
                }
            }
        }

        private void Refill()
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_stamp, now).TotalSeconds * perSecond));
            _stamp = now;
        }
    }
}
