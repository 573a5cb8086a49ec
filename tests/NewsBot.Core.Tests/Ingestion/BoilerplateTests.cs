using NewsBot.Sources;

namespace NewsBot.Core.Tests.Ingestion;

/// <summary>Footer and UI-line rules: what must go, and reporting that merely sounds like UI, which must stay.</summary>
public class BoilerplateTests
{
    private const string Story = """
        Port strike enters second week

        Dock workers at the country’s largest port extended their strike on Monday, leaving dozens of ships waiting offshore.

        Share prices fell.

        Voters must register by Friday.

        The union said members would share details of the offer with their families before any vote.

        He did not respond to an email seeking comment.

        """;

    private static Article ReadWithTail(string tail) => IngestionTestFiles.Read("story.txt", Story + tail);

    private static void AssertStoryIntact(Article article)
    {
        IngestionTestFiles.AssertWellFormed(article);
        foreach (var sentence in new[]
        {
            "Share prices fell.",
            "Voters must register by Friday.",
            "The union said members would share details of the offer with their families before any vote.",
            "He did not respond to an email seeking comment.",
        })
        {
            Assert.Contains(article.Sentences, s => s.Text == sentence);
        }
    }

    [Fact]
    public void Reporting_that_mentions_ui_words_is_kept()
    {
        var article = ReadWithTail(string.Empty);
        AssertStoryIntact(article);
        Assert.Equal(6, article.Paragraphs.Count);
    }

    [Fact]
    public void Sign_up_wall_in_any_order_is_cut()
    {
        var article = ReadWithTail("""
            Already have an account? Log in
            Create a free account to keep reading
            Get unlimited access to our journalism and the Morning Brief newsletter.
            Continue with Google
            We will send you a one-time code to finish signing in.
            """);
        AssertStoryIntact(article);
        Assert.EndsWith("He did not respond to an email seeking comment.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tag_list_under_a_read_more_line_is_cut()
    {
        var article = ReadWithTail("""
            Read more about:

            Shipping

            Labour unions

            Trade
            """);
        AssertStoryIntact(article);
        Assert.DoesNotContain("Shipping", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ui_lines_inside_the_story_are_dropped()
    {
        const string Page = """
            Port strike enters second week

            Advertisement

            Dock workers at the country’s largest port extended their strike on Monday.

            ***

            Continue reading the main story

            Listen to this article · 5:43 min

            Shipping companies said the delays would cost millions.

            Image

            Talks are expected to resume on Thursday.
            """;
        var article = IngestionTestFiles.Read("story.txt", Page);
        IngestionTestFiles.AssertWellFormed(article);
        Assert.Equal(
            [
                "Port strike enters second week",
                "Dock workers at the country’s largest port extended their strike on Monday.",
                "Shipping companies said the delays would cost millions.",
                "Talks are expected to resume on Thursday.",
            ],
            article.Paragraphs.Select(article.TextOf));
    }

    [Fact]
    public void Navigation_lines_above_the_headline_are_not_the_title()
    {
        var article = IngestionTestFiles.Read("nav.txt", "Home\nNews\nSubscribe\n\nPort strike enters second week\n\nDock workers extended their strike on Monday.\n");
        Assert.Equal("Port strike enters second week", article.Title);
        Assert.Equal(2, article.Paragraphs.Count);
    }

    [Fact]
    public void Duplicate_paragraphs_are_kept_once()
    {
        var article = IngestionTestFiles.Read("dup.txt", "Port strike enters second week\n\nDock workers extended their strike on Monday.\n\nDock workers extended their strike on Monday.\n\nTalks resume on Thursday.\n");
        Assert.Single(article.Sentences, s => s.Text == "Dock workers extended their strike on Monday.");
        Assert.Equal(3, article.Paragraphs.Count);
    }
}
