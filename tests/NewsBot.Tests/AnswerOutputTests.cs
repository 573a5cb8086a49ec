using NewsBot.Host.Cli;
using NewsBot.Sources;

namespace NewsBot.Tests;

public sealed class AnswerOutputTests
{
    [Fact]
    public void The_sources_listing_counts_one_in_the_singular()
    {
        var text = AnswerOutput.Text([new SourceInfo("bridge", "Council closes the bridge", null, 2, 1, 1), new SourceInfo("pmo", "Netanyahu declines", "By A. Writer", 25, 26, 12)]);

        Assert.Equal(
            "bridge  “Council closes the bridge”\n    2 paragraphs, 1 sentence, 1 chunk\n" +
            "pmo  “Netanyahu declines” — By A. Writer\n    25 paragraphs, 26 sentences, 12 chunks",
            text);
    }
}
