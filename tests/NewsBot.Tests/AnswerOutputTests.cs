using NewsBot.Answering;
using NewsBot.Host.Cli;
using NewsBot.Sources;
using NewsBot.Summaries;

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

    [Fact]
    public void A_summary_is_headed_by_its_article_s_title_and_a_digest_by_what_it_covers()
    {
        var citation = new Citation(1, "bridge", "Council closes the bridge", 2, "The council closed the bridge on Monday.", 30, 70);
        var summary = new Summary("bridge", "Council closes the bridge", "The council closed the bridge on Monday. [1]", [citation]);
        var digest = new Summary(null, "The 2 articles loaded", "• “Council closes the bridge” (bridge): The council closed the bridge on Monday. [1]", [citation], "Ask about one.");

        Assert.StartsWith("Summary of “Council closes the bridge”:\nThe council closed", AnswerOutput.Text(summary), StringComparison.Ordinal);
        Assert.StartsWith("The 2 articles loaded:\n• “Council closes the bridge” (bridge): The council closed", AnswerOutput.Text(digest), StringComparison.Ordinal);
        Assert.Contains("\"sourceId\":null", AnswerOutput.Json(digest, 1), StringComparison.Ordinal);
    }
}
