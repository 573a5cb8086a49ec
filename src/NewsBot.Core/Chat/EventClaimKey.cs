using System.Security.Cryptography;
using System.Text;

namespace NewsBot.Chat;

/// <summary>Claim keys: a platform prefix and a hash of the ids that name the event, so every key is short and names no message.</summary>
public static class EventClaimKey
{
    public static string For(string platform, params ReadOnlySpan<string> ids)
    {
        var text = string.Join('\n', ids);
        // 128 bits: collisions stay out of reach for any number of events kept for an hour.
        return Prefix(platform) + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    /// <summary>What every key <see cref="For"/> makes for <paramref name="platform"/> starts with.</summary>
    public static string Prefix(string platform) => platform + ":";
}
