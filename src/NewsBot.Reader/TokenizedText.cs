using System.Globalization;
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
/// BERT uncased tokenization as the reader was trained (training/reader/tokenization.py, Hugging Face's BasicTokenizer):
/// control characters dropped, split on whitespace, lower-cased, decomposed (NFD) with combining marks dropped, split on
/// punctuation; then WordPiece, by Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>, word by word.
/// </summary>
/// <remarks>
/// The basic step is done here, not by <see cref="BertTokenizer"/>'s own normalization, for two reasons. Measured on the
/// pipeline's shared cases (Microsoft.ML.Tokenizers 2.0.1), its normalization keeps precomposed accents ("café",
/// "Île" → [UNK]), joins words across tabs and line breaks, and drops "€", "½" and emoji, so it would not give the ids
/// the model was trained on. And its offsets point into its normalized text, while short answers must be exact slices
/// of the article: here every normalized character remembers the original character it came from.
/// </remarks>
internal sealed class ReaderTokenizer(BertTokenizer wordPiece)
{
    public static ReaderTokenizer Create(Stream vocabulary) =>
        new(BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true }));

    public int ClassificationId => wordPiece.ClassificationTokenId;

    public int SeparatorId => wordPiece.SeparatorTokenId;

    /// <summary>Whether the vocabulary holds the word as one token, read as the reader reads it (lower-cased, accents dropped).</summary>
    public bool IsWholeWord(string word) =>
        wordPiece.EncodeToTokens(new string([.. NormalizedChar.Of(word).Select(c => c.Char)]), out _, considerPreTokenization: false, considerNormalization: false)
            is [var token] && token.Id != wordPiece.UnknownTokenId;

    public TokenizedText Tokenize(string text)
    {
        var stream = NormalizedChar.Of(text);
        var ids = new List<int>();
        var offsets = new List<(int, int)>();
        foreach (var (first, end) in Words(stream))
        {
            var word = new string([.. stream.GetRange(first, end - first).Select(c => c.Char)]);
            // Where the word ends in the original: up to the next space or word, so marks dropped at its end stay inside it.
            var wordEnd = end < stream.Count ? stream[end].Source : text.Length;
            foreach (var token in wordPiece.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false))
            {
                var (start, stop) = (token.Offset.Start.GetOffset(word.Length), token.Offset.End.GetOffset(word.Length));
                ids.Add(token.Id);
                offsets.Add((stream[first + start].Source, first + stop < end ? stream[first + stop].Source : wordEnd));
            }
        }

        return new TokenizedText([.. ids], [.. offsets]);
    }

    /// <summary>Words as ranges of the normalized stream: split on spaces, each punctuation mark or CJK character alone.</summary>
    private static IEnumerable<(int First, int End)> Words(List<NormalizedChar> stream)
    {
        var start = -1;
        for (var i = 0; i < stream.Count; i++)
        {
            var c = stream[i];
            if (c.IsSpace || NormalizedChar.IsPunctuation(c.Char) || NormalizedChar.IsCjk(c.Char))
            {
                if (start >= 0)
                    yield return (start, i);
                start = -1;
                if (!c.IsSpace)
                    yield return (i, i + 1);
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
            yield return (start, stream.Count);
    }
}

/// <summary>One character of BERT's normalized text (lower-cased, decomposed, marks and control characters dropped) and its source.</summary>
internal readonly record struct NormalizedChar(char Char, int Source, bool IsSpace)
{
    public static List<NormalizedChar> Of(string text)
    {
        var stream = new List<NormalizedChar>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var length = char.IsSurrogatePair(text, i) ? 2 : 1;
            var element = text.AsSpan(i, length);
            var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
            if (element is "\t" or "\n" or "\r" || category == UnicodeCategory.SpaceSeparator)
            {
                stream.Add(new NormalizedChar(' ', i, true));
            }
            else if (element is not ("\0" or "\uFFFD") && category is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                foreach (var lower in element.ToString().ToLowerInvariant())
                {
                    foreach (var c in MarkStripping.Decompose(lower))
                    {
                        if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                            stream.Add(new NormalizedChar(c, i, false));
                    }
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

    /// <summary>CJK ideographs of the Basic Multilingual Plane, which BERT treats as words of their own.</summary>
    public static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}

/// <summary>
/// Canonical decomposition with combining marks dropped ("é" → "e", "Å" → "A"). <see cref="string.Normalize()"/> cannot
/// do it here: NewsBot runs in globalization-invariant mode, where normalization leaves non-ASCII text as it is. The
/// table (Resources/decompositions.txt) comes from the Unicode tables the training pipeline used.
/// </summary>
internal static class MarkStripping
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7, VowelCount = 21, TrailCount = 28;

    private static readonly Dictionary<char, string> Table = Load();

    public static string Decompose(char c)
    {
        if (c < 0x80)
            return c.ToString();
        var s = c - HangulBase;
        if (s is >= 0 and < HangulCount)
        {
            var lead = (char)(LeadBase + (s / (VowelCount * TrailCount)));
            var vowel = (char)(VowelBase + (s % (VowelCount * TrailCount) / TrailCount));
            var trail = s % TrailCount;
            return trail == 0 ? $"{lead}{vowel}" : $"{lead}{vowel}{(char)(TrailBase + trail)}";
        }

        return Table.TryGetValue(c, out var decomposed) ? decomposed : c.ToString();
    }

    private static Dictionary<char, string> Load()
    {
        using var stream = typeof(MarkStripping).Assembly.GetManifestResourceStream("NewsBot.Reader.Resources.decompositions.txt")
            ?? throw new InvalidOperationException("NewsBot.Reader lacks its embedded decompositions.txt.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<char, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            table[(char)int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                string.Concat(parts.Skip(1).Select(p => (char)int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }

        return table;
    }
}
