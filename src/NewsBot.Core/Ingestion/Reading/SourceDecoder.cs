using System.Text;

namespace NewsBot.Ingestion;

/// <summary>Turns raw file bytes into text, rejecting what is not a UTF-8 text file.</summary>
internal static class SourceDecoder
{
    // Throwing decoder: a lenient one would silently turn a Latin-1 or binary file into U+FFFD soup.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>More than this share of control characters means the file is not text.</summary>
    private const double MaxControlShare = 0.01;

    public static string Decode(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            throw new SourceFormatException(path, "file is empty");

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            throw new SourceFormatException(path, "not UTF-8 (UTF-16 byte order mark)");

        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
            throw new SourceFormatException(path, $"binary file (NUL byte at offset {nul})");

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? $" at byte {ex.Index}" : string.Empty;
            throw new SourceFormatException(path, $"not valid UTF-8{at}", ex);
        }

        var controls = 0;
        var visible = false;
        foreach (var c in text)
        {
            if (IsDisallowedControl(c))
                controls++;
            else if (!char.IsWhiteSpace(c))
                visible = true;
        }

        if (controls > 0 && controls > text.Length * MaxControlShare)
            throw new SourceFormatException(path, $"binary file ({controls} control characters)");
        if (!visible)
            throw new SourceFormatException(path, "file has no text (only whitespace)");
        return text;
    }

    /// <summary>Control characters a text file has no business containing (tabs and line breaks are fine).</summary>
    internal static bool IsDisallowedControl(char c) =>
        char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v');
}
