namespace NewsBot.Sources;

/// <summary>
/// A cleaned article: the verbatim text that may be quoted, split into paragraphs and sentences
/// whose offsets point into <see cref="Text"/>.
/// </summary>
/// <param name="Id">Stable source id (the file name without extension).</param>
/// <param name="Path">Where the article was read from.</param>
/// <param name="ContentHash">SHA-256 of the raw file bytes, hex; in an index, followed by the reading rules' version and the
/// chunking settings it was read with. Decides whether a reload reads the file again.</param>
/// <param name="Title">Headline.</param>
/// <param name="Dek">Subtitle under the headline, if any.</param>
/// <param name="Byline">Author line, if any.</param>
/// <param name="Contributors">"X contributed to this report" names.</param>
/// <param name="Text">Cleaned text: paragraphs joined by "\n\n"; only whitespace was normalised.</param>
/// <param name="Paragraphs">Every paragraph kept, in article order.</param>
/// <param name="Sentences">Sentences of the quotable paragraphs (body, dek, byline), in article order.</param>
public sealed record Article(
    string Id,
    string Path,
    string ContentHash,
    string Title,
    string? Dek,
    string? Byline,
    IReadOnlyList<string> Contributors,
    string Text,
    IReadOnlyList<Paragraph> Paragraphs,
    IReadOnlyList<Sentence> Sentences)
{
    /// <summary>The exact source text between two offsets.</summary>
    public string Slice(int start, int end) => Text[start..end];
}

/// <summary>A paragraph of the cleaned text. <see cref="Number"/> counts from 1 in article order.</summary>
public sealed record Paragraph(int Number, ParagraphKind Kind, int Start, int End);

/// <summary>What a paragraph is; only some kinds may be quoted as article prose.</summary>
public enum ParagraphKind
{
    Title,
    Dek,
    Byline,
    Body,
    Caption,
    Contributor,
}

/// <summary>A sentence with its place in the article.</summary>
/// <param name="Index">Position among the article's sentences, from 0.</param>
/// <param name="Paragraph">Number of the paragraph holding it.</param>
/// <param name="Start">Offset of the first character in <see cref="Article.Text"/>.</param>
/// <param name="End">Offset one past the last character.</param>
public sealed record Sentence(int Index, int Paragraph, int Start, int End)
{
    // The sentence's own string, or the article's whole text when the sentence is read from it on each use: a loaded
    // archive then holds its text once, not twice (a million sentences' own strings are about 280 MB).
    private readonly string _text = "";
    private readonly bool _cutFromArticle;

    /// <param name="text">The sentence, exactly as in the article.</param>
    public Sentence(int index, int paragraph, int start, int end, string text)
        : this(index, paragraph, start, end) => _text = text;

    /// <summary>The sentence exactly as in the article.</summary>
    public string Text => _cutFromArticle ? _text.Substring(Start, End - Start) : _text;

    /// <summary>A sentence that reads its text from the article's text (<see cref="Article.Text"/>) rather than keeping a copy.</summary>
    public static Sentence In(string articleText, int index, int paragraph, int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, articleText.Length);
        return new Sentence(index, paragraph, start, end, articleText, cutFromArticle: true);
    }

    private Sentence(int index, int paragraph, int start, int end, string text, bool cutFromArticle)
        : this(index, paragraph, start, end) => (_text, _cutFromArticle) = (text, cutFromArticle);

    public bool Equals(Sentence? other) =>
        other is not null && Index == other.Index && Paragraph == other.Paragraph && Start == other.Start && End == other.End
        && TextSpan.SequenceEqual(other.TextSpan);

    public override int GetHashCode() => HashCode.Combine(Index, Paragraph, Start, End, string.GetHashCode(TextSpan));

    private ReadOnlySpan<char> TextSpan => _cutFromArticle ? _text.AsSpan(Start, End - Start) : _text;
}

/// <summary>A token-bounded, sentence-aligned window of an article, the unit that is embedded for passages.</summary>
public sealed record Chunk(int Index, int FirstSentence, int LastSentence, int Start, int End, int TokenCount);

/// <summary>What the <c>sources</c> listing shows for one article.</summary>
public sealed record SourceInfo(
    string Id,
    string Title,
    string? Byline,
    int Paragraphs,
    int Sentences,
    int Chunks);

public static class ParagraphKindExtensions
{
    /// <summary>Whether text of this kind may be quoted as article prose.</summary>
    public static bool IsQuotable(this ParagraphKind kind) =>
        kind is ParagraphKind.Body or ParagraphKind.Dek or ParagraphKind.Byline or ParagraphKind.Title;
}
