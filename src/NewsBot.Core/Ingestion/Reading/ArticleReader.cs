using System.Security.Cryptography;
using NewsBot.Sources;

namespace NewsBot.Ingestion;

/// <summary>
/// Turns one source file into a cleaned <see cref="Article"/>: decodes strictly (UTF-8, UTF-16 with its byte order mark, or
/// else Windows-1252 when that reads as Latin-alphabet text), parses by format
/// (.txt, .md, .html), cleans page furniture away and segments the quotable paragraphs into sentences.
/// Thread-safe; holds no state between files.
/// </summary>
public sealed class ArticleReader(SentenceSegmenter segmenter)
{
    private const string ParagraphSeparator = "\n\n";

    /// <summary>
    /// The version of the reading rules (decoding, parsing, cleaning, sentence splitting). Raise it with any change that
    /// makes a file read as other sentences: stored articles are then read again on the next reload (and embedded again only
    /// where their text changed), instead of keeping what the old rules made of them until the file itself changes.
    /// </summary>
    public const int RulesVersion = 1;

    /// <summary>File extensions this reader understands (lower case, with the dot).</summary>
    public static IReadOnlySet<string> SupportedExtensions { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml" };

    public ArticleReader()
        : this(new SentenceSegmenter())
    {
    }

    /// <summary>Whether <paramref name="path"/> has an extension this reader handles.</summary>
    public static bool CanRead(string path) => SupportedExtensions.Contains(System.IO.Path.GetExtension(path));

    /// <summary>Reads a file from disk; an I/O failure becomes a <see cref="SourceFormatException"/> naming the file.</summary>
    public async Task<Article> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceFormatException(path, $"unreadable ({ex.GetType().Name})", ex);
        }

        return Read(path, bytes);
    }

    /// <summary>Builds the article for <paramref name="bytes"/>, the content of <paramref name="path"/>.</summary>
    /// <exception cref="SourceFormatException">The bytes are not a readable article.</exception>
    public Article Read(string path, ReadOnlySpan<byte> bytes) => Read(path, bytes, out _);

    /// <summary>Builds the article for <paramref name="bytes"/>, saying how they were read as text.</summary>
    /// <exception cref="SourceFormatException">The bytes are not a readable article.</exception>
    public Article Read(string path, ReadOnlySpan<byte> bytes, out SourceEncoding encoding)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var text = SourceDecoder.Decode(path, bytes, out encoding);
        var raw = Parse(path, text);
        var clean = ArticleCleaner.Clean(raw, path);
        return Assemble(path, hash, clean);
    }

    private static RawDocument Parse(string path, string text)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".html" or ".htm" or ".xhtml" => HtmlPageParser.Parse(text),
            ".md" or ".markdown" => MarkdownParser.Parse(text),
            // Saved web pages often keep a .txt name; their markup says what they are.
            _ when LooksLikeHtml(text) => HtmlPageParser.Parse(text),
            ".txt" or ".text" or "" => PlainTextParser.Parse(text),
            _ => throw new SourceFormatException(path, $"unsupported file type '{extension}'"),
        };
    }

    private static bool LooksLikeHtml(string text)
    {
        var head = text.AsSpan().TrimStart();
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private Article Assemble(string path, string hash, CleanArticle clean)
    {
        var length = clean.Paragraphs.Sum(p => p.Text.Length) + (ParagraphSeparator.Length * (clean.Paragraphs.Count - 1));
        var text = new System.Text.StringBuilder(length);
        var paragraphs = new List<Paragraph>(clean.Paragraphs.Count);
        var sentences = new List<Sentence>();
        foreach (var paragraph in clean.Paragraphs)
        {
            if (text.Length > 0)
                text.Append(ParagraphSeparator);
            var start = text.Length;
            text.Append(paragraph.Text);
            var number = paragraphs.Count + 1;
            paragraphs.Add(new Paragraph(number, paragraph.Kind, start, text.Length));
            if (!paragraph.Kind.IsQuotable())
                continue;

            foreach (var span in segmenter.Split(paragraph.Text))
            {
                sentences.Add(new Sentence(
                    sentences.Count,
                    number,
                    start + span.Start,
                    start + span.End,
                    paragraph.Text[span.Start..span.End]));
            }
        }

        return new Article(
            System.IO.Path.GetFileNameWithoutExtension(path),
            path,
            hash,
            clean.Title,
            clean.Dek,
            clean.Byline,
            clean.Contributors,
            text.ToString(),
            paragraphs,
            sentences);
    }
}
