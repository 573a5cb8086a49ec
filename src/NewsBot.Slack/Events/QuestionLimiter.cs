using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NewsBot.Slack.Events;

internal enum QuestionVerdict
{
    Allowed,

    /// <summary>Over the limit, and this person has not been told yet in this channel: send one short notice.</summary>
    Notify,

    /// <summary>Over the limit and already told: stay quiet rather than spam the channel.</summary>
    Quiet,
}

/// <summary>Per-user and per-channel token buckets for questions (a burst, then a steady rate per minute).</summary>
internal sealed class QuestionLimiter(IOptions<SlackOptions> options, TimeProvider time)
{
    private const int ForgetAbove = 10_000;
    private readonly SlackQuestionLimits _limits = options.Value.QuestionLimits;
    private readonly ConcurrentDictionary<string, Bucket> _users = new();
    private readonly ConcurrentDictionary<string, Bucket> _channels = new();
    private readonly ConcurrentDictionary<string, byte> _told = new();

    public QuestionVerdict Check(string userId, string channelId, out TimeSpan retryAfter)
    {
        Forget(_users);
        Forget(_channels);
        var user = _users.GetOrAdd(userId, _ => new Bucket(_limits.UserBurst, _limits.UserPerMinute / 60, time));
        var channel = _channels.GetOrAdd(channelId, _ => new Bucket(_limits.ChannelBurst, _limits.ChannelPerMinute / 60, time));

        // The user first, so one busy person does not drain the channel's bucket for everyone.
        var toldKey = userId + "/" + channelId;
        if (user.TryTake(out retryAfter) && channel.TryTake(out retryAfter))
        {
            _told.TryRemove(toldKey, out _);
            return QuestionVerdict.Allowed;
        }

        return _told.TryAdd(toldKey, 0) ? QuestionVerdict.Notify : QuestionVerdict.Quiet;
    }

    public static string Notice(TimeSpan retryAfter) =>
        $"You're asking faster than I can answer. Please wait about {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s before the next question.";

    /// <summary>A full bucket is the same as a new one, so it can go once there are many.</summary>
    private static void Forget(ConcurrentDictionary<string, Bucket> buckets)
    {
        if (buckets.Count < ForgetAbove)
            return;
        foreach (var (key, bucket) in buckets)
        {
            if (bucket.IsFull)
                buckets.TryRemove(key, out _);
        }
    }

    private sealed class Bucket(double capacity, double perSecond, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly double _capacity = capacity;
        private double _tokens = capacity;
        private long _stamp = time.GetTimestamp();

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

        public bool TryTake(out TimeSpan retryAfter)
        {
            lock (_gate)
            {
                Refill();
                if (_tokens >= 1)
                {
                    _tokens--;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                return false;
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
