using System.Text;
using NewsBot.Sources;
using NewsBot.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

public class BrokenSourceTests
{
    private static readonly ArticleReader Reader = new();

    private static SourceFormatException Reject(string path, byte[] bytes)
    {
        var ex = Assert.Throws<SourceFormatException>(() => Reader.Read(path, bytes));
        Assert.Equal(path, ex.Path);
        Assert.Contains(Path.GetFileName(path), ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Empty_file_is_rejected() =>
        Assert.Contains("empty", Reject("seeds/empty.txt", []).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData(" \n\t\r\n \u00A0 \n")]
    [InlineData("\uFEFF\n\n")]
    public void Whitespace_only_file_is_rejected(string content) =>
        Assert.Contains("whitespace", Reject("seeds/blank.md", Encoding.UTF8.GetBytes(content)).Reason, StringComparison.Ordinal);

    [Fact]
    public void Binary_file_with_nul_bytes_is_rejected()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];
        Assert.Contains("binary", Reject("seeds/photo.txt", png).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_character_soup_is_rejected()
    {
        var bytes = Enumerable.Range(0, 400).Select(i => (byte)(i % 3 == 0 ? 0x01 + (i % 7) : 'a')).ToArray();
        Assert.Contains("binary", Reject("seeds/garbage.txt", bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows1252_text_is_read_and_said_to_be()
    {
        // “Café” with curly quotes and an en dash: bytes 0x93, 0x94 and 0x96 exist only in Windows-1252, not in Latin-1.
        byte[] bytes = [.. Encoding.ASCII.GetBytes("Caf"), 0xE9, .. Encoding.ASCII.GetBytes(" owners protest new rules\n\nThe owners said the rules were "),
            0x93, .. Encoding.ASCII.GetBytes("unfair"), 0x94, 0x20, 0x96, .. Encoding.ASCII.GetBytes(" and would close on Monday.\n")];

        var article = Reader.Read("seeds/latin1.txt", bytes, out var encoding);

        Assert.Equal(SourceEncoding.Windows1252, encoding);
        Assert.Equal("Caf\u00E9 owners protest new rules", article.Title);
        Assert.Contains("The owners said the rules were \u201Cunfair\u201D \u2013 and would close on Monday.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_text_is_said_to_be_utf8()
    {
        Reader.Read("seeds/plain.txt", Encoding.UTF8.GetBytes("Caf\u00E9 owners protest\n\nThe owners said the rules were unfair.\n"), out var encoding);
        Assert.Equal(SourceEncoding.Utf8, encoding);
    }

    [Fact]
    public void Text_in_another_alphabets_code_page_is_not_guessed_as_windows1252()
    {
        // "Владельцы кафе протестуют" and a sentence in Windows-1251: every byte is defined in Windows-1252 too, as accented Latin letters.
        byte[] cyrillic = [0xC2, 0xEB, 0xE0, 0xE4, 0xE5, 0xEB, 0xFC, 0xF6, 0xFB, 0x20, 0xEA, 0xE0, 0xF4, 0xE5, 0x20, 0xEF, 0xF0, 0xEE, 0xF2, 0xE5, 0xF1, 0xF2, 0xF3, 0xFE, 0xF2,
            0x0A, 0x0A, 0xCF, 0xF0, 0xE0, 0xE2, 0xE8, 0xEB, 0xE0, 0x20, 0xED, 0xE5, 0xF1, 0xEF, 0xF0, 0xE0, 0xE2, 0xE5, 0xE4, 0xEB, 0xE8, 0xE2, 0xFB, 0x2E, 0x0A];
        var reason = Reject("seeds/cyrillic.txt", cyrillic).Reason;
        Assert.Contains("not valid UTF-8", reason, StringComparison.Ordinal);
        Assert.Contains("save it as UTF-8", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_windows1252_leaves_undefined_are_not_guessed_as_text()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("Headline\n\nBody text "), 0x81, 0x8D, .. Encoding.ASCII.GetBytes(" here.\n")];
        Assert.Contains("not valid UTF-8", Reject("seeds/odd.txt", bytes).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_file_with_its_byte_order_mark_is_read(bool bigEndian)
    {
        var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = utf16.GetPreamble().Concat(utf16.GetBytes("Caf\u00E9 owners protest\n\nThe \u201Ccaf\u00E9\u201D owners said the rules were unfair.\n")).ToArray();

        var article = Reader.Read("seeds/utf16.txt", bytes, out var encoding);

        Assert.Equal(SourceEncoding.Utf16, encoding);
        Assert.Equal("Caf\u00E9 owners protest", article.Title);
        Assert.Contains("The \u201Ccaf\u00E9\u201D owners said the rules were unfair.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_utf16_is_rejected()
    {
        // A lone high surrogate (0xD800) in the middle of UTF-16 LE text.
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("Headline\n\nBody "), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("text.\n")];
        Assert.Contains("not valid UTF-16", Reject("seeds/utf16.txt", bytes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_with_nothing_but_furniture_is_rejected()
    {
        var bytes = Encoding.UTF8.GetBytes("Sign in\nRegister for free\nSubscribe to our newsletter\nAccept all cookies\n");
        Reject("seeds/wall.txt", bytes);
    }

    [Fact]
    public void Title_without_any_body_is_rejected() =>
        Assert.Contains("no article text", Reject("seeds/title.txt", Encoding.UTF8.GetBytes("Just a headline here\n")).Reason, StringComparison.Ordinal);

    [Fact]
    public void A_file_that_is_one_paragraph_of_reporting_is_read_as_an_untitled_story()
    {
        const string Story = "Edinburgh's winter festivals generated more than £241m for the city, according to organisers. "
            + "Almost one million people visited the city during the six-week festival period over Christmas and Hogmanay.";

        var article = IngestionTestFiles.Read("festivals.txt", Story + "\n");

        Assert.Equal("Edinburgh's winter festivals generated more than £241m for the city, according to …", article.Title);
        Assert.Equal(2, article.Sentences.Count(s => article.Paragraphs.Single(p => p.Number == s.Paragraph).Kind == ParagraphKind.Body));
        Assert.Contains(article.Sentences, s => s.Text == "Almost one million people visited the city during the six-week festival period over Christmas and Hogmanay.");
    }

    [Fact]
    public void A_headline_over_one_paragraph_that_reads_like_a_subtitle_is_still_the_story_when_nothing_follows()
    {
        // Without a closing full stop the paragraph looks like a subtitle; with no body under it, it is the story.
        const string Paragraph = "There are differences of opinion on whether Buddhism should be considered a religion. "
            + "Many sources commonly refer to Buddhism as a religion. For example:";

        var article = IngestionTestFiles.Read("buddhism.txt", "Buddhism and religion\n\n" + Paragraph + "\n");

        Assert.Equal("Buddhism and religion", article.Title);
        Assert.Null(article.Dek);
        Assert.Contains(article.Sentences, s => s.Text == "Many sources commonly refer to Buddhism as a religion.");
        Assert.Contains(article.Paragraphs, p => p.Kind == ParagraphKind.Body && article.Text[p.Start..p.End] == Paragraph);
    }

    [Fact]
    public void A_headline_over_a_short_subtitle_alone_is_still_rejected() =>
        Assert.Contains("no article text", Reject("seeds/dek.txt", Encoding.UTF8.GetBytes("Storm hits the coast\n\nThousands without power as winds reach 90mph\n")).Reason, StringComparison.Ordinal);

    [Fact]
    public void Html_without_body_text_is_rejected()
    {
        var bytes = Encoding.UTF8.GetBytes("<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>");
        Reject("seeds/empty.html", bytes);
    }

    [Fact]
    public void Unsupported_extension_is_rejected() =>
        Assert.Contains(".pdf", Reject("seeds/report.pdf", Encoding.UTF8.GetBytes("Headline\n\nSome text.")).Reason, StringComparison.Ordinal);

    [Fact]
    public void Utf8_byte_order_mark_is_stripped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Headline of the day here\n\nThe body says something.\n")).ToArray();
        var article = Reader.Read("seeds/bom.txt", bytes);
        Assert.Equal("Headline of the day here", article.Title);
        Assert.DoesNotContain('\uFEFF', article.Text);
    }

    [Fact]
    public async Task Missing_file_is_reported_as_unreadable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"newsbot-missing-{Guid.NewGuid():N}.txt");
        var ex = await Assert.ThrowsAsync<SourceFormatException>(() => Reader.ReadFileAsync(path, CancellationToken.None));
        Assert.Contains("unreadable", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void Supported_extensions_are_known()
    {
        Assert.True(ArticleReader.CanRead("a/b.TXT"));
        Assert.True(ArticleReader.CanRead("b.md"));
        Assert.True(ArticleReader.CanRead("b.htm"));
        Assert.False(ArticleReader.CanRead("b.pdf"));
        Assert.False(ArticleReader.CanRead("README"));
    }
}
