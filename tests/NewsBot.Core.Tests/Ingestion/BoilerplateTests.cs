using NewsBot.Ingestion;
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

    [Fact]
    public void A_long_paragraph_of_reporting_is_never_furniture_however_many_UI_words_it_happens_to_hold()
    {
        var paragraph = "Scottish voters would rather have a referendum on the EU than another independence vote, a new survey has revealed. "
            + "The idea of having another referendum on Scotland's future in the UK before 2020 was ranked 19th on a list of 23 policies "
            + "presented to voters. Scroll down for video. It comes after the first minister refused to rule out staging a second "
            + "independence vote if her party wins next year's elections, telling a televised debate that she would not sign away "
            + "the right of voters to decide, and that party members who register before the deadline would be consulted by email. "
            + "Her comments were shared widely online, and the party's newsletter told subscribers that the survey of 2,000 adults "
            + "had been commissioned by a campaign group. Opposition leaders said the video of the debate showed a first minister "
            + "who would not give a straight answer, while pollsters said support for a second vote had fallen since the spring.";

        Assert.False(BoilerplateLexicon.IsBoilerplate(paragraph));
        Assert.True(BoilerplateLexicon.IsBoilerplate("Sign in or Register"));
    }
}
