using NewsBot.Sources;

namespace NewsBot.Core.Tests.Scale;

public class SentenceTextTests
{
    private const string ArticleText = "Headline\n\nThe mayor spoke first. Then the council voted.";

    [Fact]
    public void A_sentence_cut_from_the_article_reads_its_text_there_and_equals_one_holding_a_copy()
    {
        var start = ArticleText.IndexOf("Then", StringComparison.Ordinal);
        var cut = Sentence.In(ArticleText, 1, 2, start, ArticleText.Length);
        var copied = new Sentence(1, 2, start, ArticleText.Length, "Then the council voted.");

        Assert.Equal("Then the council voted.", cut.Text);
        Assert.Equal(copied, cut);
        Assert.Equal(copied.GetHashCode(), cut.GetHashCode());
        Assert.NotEqual(copied with { Index = 2 }, cut);
        Assert.NotEqual(Sentence.In(ArticleText, 1, 2, start - 1, ArticleText.Length), cut);
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(6, 5)]
    [InlineData(0, 200)]
    public void A_sentence_outside_the_article_is_refused(int start, int end) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sentence.In(ArticleText, 0, 1, start, end));
}
