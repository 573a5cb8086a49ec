using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NewsBot.Slack.HttpMode;

/// <summary>
/// Slack's v0 request signing: X-Slack-Signature is "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{raw body}"
/// keyed with the signing secret; X-Slack-Request-Timestamp must be within the allowed skew of now, so a
/// captured request cannot be replayed later.
/// </summary>
internal sealed class RequestSignature(string signingSecret, TimeSpan maxSkew, TimeProvider time)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret.Trim());

    public bool IsValid(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature) || !signature.StartsWith("v0=", StringComparison.Ordinal))
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age.Duration() > maxSkew)
            return false;

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, signed)));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
