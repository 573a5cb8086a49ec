using System.Text;

namespace NewsBot.Ingestion;

/// <summary>How a source file's bytes were read as text.</summary>
public enum SourceEncoding
{
    Utf8,

    /// <summary>UTF-16 with its byte order mark ("Unicode" in Windows Notepad): unambiguous, read as is.</summary>
    Utf16,

    /// <summary>
    /// Not valid UTF-8, but every byte is a Windows-1252 character (a superset of Latin-1) and the text reads as text in
    /// a Latin alphabet: a guess, which ingestion reports, as older editors and content systems still save this way.
    /// </summary>
    Windows1252,
}

/// <summary>Turns raw file bytes into text, rejecting what is not a text file.</summary>
internal static class SourceDecoder
{
    // Throwing decoders: lenient ones would silently turn a file in another encoding, or a binary one, into U+FFFD soup.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictWindows1252 = Strict(CodePagesEncodingProvider.Instance.GetEncoding(1252)!);

    /// <summary>More than this share of control characters means the file is not text.</summary>
    private const double MaxControlShare = 0.01;

    /// <summary>
    /// A text read as Windows-1252 with more than this share of its letters outside ASCII was written in another
    /// alphabet (a Cyrillic or Greek code page reads as accented Latin letters throughout); French or German prose has a
    /// few percent.
    /// </summary>
    private const double MaxNonAsciiLetterShare = 0.25;

    public static string Decode(string path, ReadOnlySpan<byte> bytes, out SourceEncoding encoding)
    {
        if (bytes.IsEmpty)
            throw new SourceFormatException(path, "file is empty");

        var text = DecodeText(path, bytes, out encoding);
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

    private static string DecodeText(string path, ReadOnlySpan<byte> bytes, out SourceEncoding encoding)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = SourceEncoding.Utf16;
            var utf16 = bytes[0] == 0xFF ? StrictUtf16Le : StrictUtf16Be;
            try
            {
                return utf16.GetString(bytes[2..]);
            }
            catch (DecoderFallbackException ex)
            {
                throw new SourceFormatException(path, "not valid UTF-16 (after a UTF-16 byte order mark)", ex);
            }
        }

        encoding = SourceEncoding.Utf8;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];

        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
            throw new SourceFormatException(path, $"binary file (NUL byte at offset {nul})");

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            if (TryWindows1252(bytes) is { } text)
            {
                encoding = SourceEncoding.Windows1252;
                return text;
            }

            var at = ex.Index >= 0 ? $" at byte {ex.Index}" : string.Empty;
            throw new SourceFormatException(path, $"not valid UTF-8{at}, nor text in Windows-1252; save it as UTF-8", ex);
        }
    }

    private static string? TryWindows1252(ReadOnlySpan<byte> bytes)
    {
        string text;
        try
        {
            text = StrictWindows1252.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        int letters = 0, nonAscii = 0;
        foreach (var c in text)
        {
            // Bytes 0x80–0x9F that Windows-1252 leaves undefined come through as C1 controls: not prose.
            if (c is >= '\u0080' and <= '\u009F')
                return null;
            if (char.IsLetter(c))
            {
                letters++;
                nonAscii += c > '\u007F' ? 1 : 0;
            }
        }

        return letters > 0 && nonAscii <= letters * MaxNonAsciiLetterShare ? text : null;
    }

    private static Encoding Strict(Encoding encoding)
    {
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }

    /// <summary>Control characters a text file has no business containing (tabs and line breaks are fine).</summary>
    internal static bool IsDisallowedControl(char c) =>
        char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v');
}
