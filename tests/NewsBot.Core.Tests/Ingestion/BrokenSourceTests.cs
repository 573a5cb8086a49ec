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
    public void Latin1_text_is_not_utf8()
    {
        var bytes = Encoding.Latin1.GetBytes("Caf\u00E9 owners protest new rules\n\nThe owners said the rules were unfair.\n");
        var reason = Reject("seeds/latin1.txt", bytes).Reason;
        Assert.Contains("not valid UTF-8", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_file_is_rejected()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Headline\n\nBody text here.")).ToArray();
        Reject("seeds/utf16.txt", bytes);
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
