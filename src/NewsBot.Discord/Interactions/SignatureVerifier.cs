using System.Text;
using NSec.Cryptography;

namespace NewsBot.Discord.Interactions;

/// <summary>
/// Checks Discord's Ed25519 signature over the timestamp followed by the raw body, exactly as
/// received. Anything malformed is simply "not valid": Discord probes with bad signatures.
/// </summary>
internal sealed class SignatureVerifier
{
    private readonly PublicKey _key;

    public SignatureVerifier(string publicKeyHex) =>
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);

    public bool IsValid(string? timestamp, string? signatureHex, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || signatureHex is null || signatureHex.Length != 128)
            return false;
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        var message = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message.AsSpan(written));
        return SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
    }
}
