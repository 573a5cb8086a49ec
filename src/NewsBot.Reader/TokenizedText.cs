using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace NewsBot.Reader;

/// <summary>A text's WordPiece ids with, for each, the exact characters of the original text it came from.</summary>
/// <param name="Ids">Token ids, no special tokens.</param>
/// <param name="Offsets">Per token, <c>[Start, End)</c> in the original text (before lower-casing and mark removal).</param>
internal sealed record TokenizedText(int[] Ids, (int Start, int End)[] Offsets)
{
    public int Count => Ids.Length;
}

/// <summary>
/// Tokenizes with Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> (BERT uncased, as the reader was trained) and
/// maps every token back to the original text. The tokenizer reports offsets into its normalized text, which
/// drops control characters and combining marks and so drifts from the original; here the original text is
/// normalized again character by character, remembering where each normalized character came from, and the
/// tokens are laid over that.
/// </summary>
internal sealed class ReaderTokenizer(BertTokenizer tokenizer)
{
    private const string ContinuationPrefix = "##";

    public static ReaderTokenizer Create(Stream vocabulary) =>
        new(BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true }));

    public int ClassificationId => tokenizer.ClassificationTokenId;

    public int SeparatorId => tokenizer.SeparatorTokenId;

    public int PaddingId => tokenizer.PaddingTokenId;

    public TokenizedText Tokenize(string text)
    {
        var tokens = tokenizer.EncodeToTokens(text, out _);
        var ids = new int[tokens.Count];
        var offsets = new (int, int)[tokens.Count];
        var stream = NormalizedChar.Of(text);
        var at = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            ids[t] = tokens[t].Id;
            var value = tokens[t].Value;
            int length;
            if (tokens[t].Id == tokenizer.UnknownTokenId)
            {
                at = NextTokenStart(stream, at);
                length = WordLength(stream, at);
            }
            else
            {
                var piece = value.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && value.Length > ContinuationPrefix.Length
                    ? value[ContinuationPrefix.Length..] : value;
                at = Find(stream, at, piece);
                length = Math.Min(piece.Length, stream.Count - at);
            }

            offsets[t] = Span(stream, text.Length, at, length);
            at += Math.Max(length, 0);
        }

        return new TokenizedText(ids, offsets);
    }

    /// <summary>Where <paramref name="piece"/> starts at or after <paramref name="from"/>; characters the tokenizer dropped are skipped.</summary>
    private static int Find(List<NormalizedChar> stream, int from, string piece)
    {
        for (var start = NextTokenStart(stream, from); start < stream.Count; start = NextTokenStart(stream, start + 1))
        {
            if (Matches(stream, start, piece))
                return start;
        }

        return Math.Min(NextTokenStart(stream, from), stream.Count);
    }

    private static bool Matches(List<NormalizedChar> stream, int start, string piece)
    {
        if (start + piece.Length > stream.Count)
            return false;
        for (var k = 0; k < piece.Length; k++)
        {
            if (stream[start + k].Char != piece[k])
                return false;
        }

        return true;
    }

    private static int NextTokenStart(List<NormalizedChar> stream, int from)
    {
        while (from < stream.Count && stream[from].IsSpace)
            from++;
        return from;
    }

    /// <summary>An unknown token stands for a whole word: up to the next space or punctuation, or the punctuation mark alone.</summary>
    private static int WordLength(List<NormalizedChar> stream, int start)
    {
        if (start >= stream.Count)
            return 0;
        if (NormalizedChar.IsPunctuation(stream[start].Char))
            return 1;
        var end = start;
        while (end < stream.Count && !stream[end].IsSpace && !NormalizedChar.IsPunctuation(stream[end].Char))
            end++;
        return end - start;
    }

    /// <summary>
    /// The original characters behind normalized characters <c>[at, at + length)</c>: from the first one's source up to
    /// the next normalized character's source, so that marks and invisible characters dropped inside a word stay inside it.
    /// </summary>
    private static (int, int) Span(List<NormalizedChar> stream, int textLength, int at, int length)
    {
        if (at >= stream.Count)
            return (textLength, textLength);
        var last = Math.Min(at + Math.Max(length, 1), stream.Count) - 1;
        var next = last + 1;
        var end = next >= stream.Count ? textLength
            : stream[next].Source > stream[last].Source ? stream[next].Source
            : stream[last].SourceEnd;
        return (stream[at].Source, end);
    }
}

/// <summary>One character of BERT's normalized text (lower-cased, NFD, marks and control characters dropped) and its source.</summary>
internal readonly record struct NormalizedChar(char Char, int Source, int SourceEnd, bool IsSpace)
{
    public static List<NormalizedChar> Of(string text)
    {
        var stream = new List<NormalizedChar>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var length = char.IsSurrogatePair(text, i) ? 2 : 1;
            var element = text.AsSpan(i, length);
            var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
            if (IsWhitespace(element, category))
            {
                stream.Add(new NormalizedChar(' ', i, i + length, true));
            }
            else if (!IsDropped(element, category))
            {
                foreach (var c in element.ToString().ToLowerInvariant().Normalize(NormalizationForm.FormD))
                {
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                        stream.Add(new NormalizedChar(c, i, i + length, false));
                }
            }

            i += length;
        }

        return stream;
    }

    public static bool IsPunctuation(char c) =>
        c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsWhitespace(ReadOnlySpan<char> element, UnicodeCategory category) =>
        element is " " or "\t" or "\n" or "\r" || category == UnicodeCategory.SpaceSeparator;

    private static bool IsDropped(ReadOnlySpan<char> element, UnicodeCategory category) =>
        element is "\0" or "\uFFFD" || category is UnicodeCategory.Control or UnicodeCategory.Format;
}
