using System.Globalization;
using System.Text.Json;

namespace NewsBot.Reader.Tests;

public class TokenizerTests
{
    private static ReaderTokenizer Tokenizer => ShippedModel.Tokenizer;

    /// <summary>What BERT uncased makes of some original characters: lower-cased, decomposed, marks dropped.</summary>
    private static string Normalized(string original) =>
        string.Concat(original.ToLowerInvariant().SelectMany(MarkStripping.Decompose)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.Control or UnicodeCategory.Format)));

    [Theory]
    [InlineData('é', "e")]
    [InlineData('Å', "A")]
    [InlineData('ç', "c")]
    [InlineData('ö', "o")]
    [InlineData('ﬁ', "ﬁ")]
    [InlineData('한', "\u1112\u1161\u11AB")]
    public void Accents_are_stripped_as_the_pipeline_strips_them(char c, string expected) =>
        Assert.Equal(expected, MarkStripping.Decompose(c));

    [Theory]
    [InlineData("The PMO said the “heavy demands of his schedule” meant he couldn’t meet.")]
    [InlineData("Some 400\u00A0million people use it\u00A0— about 5\u202F% of them in Île-de-France.")]
    [InlineData("Café Zürich, São Paulo and Kraków: naïve coöperation.")]
    [InlineData("Decomposed: Cafe\u0301 and Zu\u0308rich, with a zero\u200Bwidth space.")]
    [InlineData("Tabs\tand\nnew lines, ‘single quotes’ and «guillemets».")]
    [InlineData("Unbreakable-words: antidisestablishmentarianism and Kaspersky's headquarters.")]
    public void Every_token_maps_to_the_exact_original_characters_it_came_from(string text)
    {
        var tokens = Tokenizer.Tokenize(text);

        Assert.NotEmpty(tokens.Ids);
        var previousEnd = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            var (start, end) = tokens.Offsets[t];
            Assert.True(start >= previousEnd && end > start && end <= text.Length, $"token {t} at {start}–{end}");
            var original = text[start..end];
            Assert.False(char.IsWhiteSpace(original[0]) || char.IsWhiteSpace(original[^1]), $"token {t} “{original}” has spaces");
            var piece = Piece(tokens.Ids[t]);
            if (piece != "[UNK]")
                Assert.Equal(piece, Normalized(original));
            previousEnd = end;
        }
    }

    [Fact]
    public void Accented_curly_quoted_and_non_breaking_text_gives_article_offsets_to_the_character()
    {
        const string text = "“Île-de-France”\u00A0paid 400\u00A0million to Zu\u0308rich.";
        var tokens = Tokenizer.Tokenize(text);
        string At(int t) => text[tokens.Offsets[t].Start..tokens.Offsets[t].End];

        var pieces = Enumerable.Range(0, tokens.Count).Select(t => Piece(tokens.Ids[t])).ToList();
        Assert.Equal("“", At(0));
        Assert.Equal("Île", At(pieces.IndexOf("ile")));
        Assert.Equal("”", At(pieces.IndexOf("ile") + 5));
        Assert.Equal("paid", At(pieces.IndexOf("paid")));
        Assert.Equal("400", At(pieces.IndexOf("400")));
        Assert.Equal("million", At(pieces.IndexOf("million")));
        // The decomposed umlaut belongs to the word it sits in, however WordPiece splits it.
        var zurich = pieces.IndexOf("to") + 1;
        Assert.Equal("Zu\u0308rich", text[tokens.Offsets[zurich].Start..tokens.Offsets[tokens.Count - 2].End]);
        Assert.Equal(".", At(tokens.Count - 1));
    }

    [Fact]
    public void Ids_match_the_training_pipelines_tokenizer_on_its_shared_cases()
    {
        using var file = File.OpenRead(ShippedModel.Fixture("tokenization-cases.json"));
        using var cases = JsonDocument.Parse(file);
        var count = 0;
        foreach (var c in cases.RootElement.EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var tokens = Tokenizer.Tokenize(text);
            Assert.True(expected.SequenceEqual(tokens.Ids), $"ids differ for “{text}”");
            // The pipeline falls back to the whole word where normalization changed a word's length, and ends a word at
            // its last kept character; here every token is exact and keeps the marks that followed it (a verbatim slice
            // never splits "e" from its accent), so it lies within the pipeline's range but for trailing marks.
            // Python counts code points, .NET UTF-16 units.
            var utf16 = Enumerable.Range(0, text.Length).Where(i => !char.IsLowSurrogate(text[i])).Append(text.Length).ToArray();
            var offsets = c.GetProperty("offsets").EnumerateArray().Select(o => (utf16[o[0].GetInt32()], utf16[o[1].GetInt32()])).ToArray();
            for (var t = 0; t < offsets.Length; t++)
            {
                var (start, end) = tokens.Offsets[t];
                var beyond = end <= offsets[t].Item2 ? string.Empty : text[offsets[t].Item2..end];
                Assert.True(offsets[t].Item1 <= start && beyond.All(ch => CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark),
                    $"token {t} of “{text}”: {start}–{end} outside {offsets[t]}");
            }

            count++;
        }

        Assert.True(count >= 5, $"only {count} cases");
    }

    [Theory]
    [InlineData("schedule", true)]
    [InlineData("Schedule", true)]
    [InlineData("continent", true)]
    [InlineData("Café", true)]
    [InlineData("scedule", false)]
    [InlineData("cutomers", false)]
    [InlineData("cybersecurity", false)]
    [InlineData("[UNK]", false)]
    public void A_word_is_known_when_the_vocabulary_holds_it_whole(string word, bool known)
    {
        Assert.Equal(known, Tokenizer.IsWholeWord(word));
        Assert.Equal(known, ShippedModel.Reader.KnowsWord(word));
    }

    private static readonly Lazy<string[]> Vocabulary = new(() => File.ReadAllLines(ShippedModel.Options.VocabularyFile));

    private static string Piece(int id)
    {
        var piece = Vocabulary.Value[id];
        return piece.StartsWith("##", StringComparison.Ordinal) ? piece[2..] : piece;
    }
}
