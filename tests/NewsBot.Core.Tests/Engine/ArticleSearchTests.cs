using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

/// <summary>"Which article mentions Google?": which articles hold something, each quoted where it first says it.</summary>
public class ArticleSearchTests
{
    [Theory]
    [InlineData("Which article mentions Google?", "Google")]
    [InlineData("which articles talk about the harbour", "the harbour")]
    [InlineData("Is there an article about the storm?", "the storm")]
    [InlineData("are there any stories on Yukos?", "Yukos")]
    [InlineData("Do you have anything on Kaspersky Lab?", "Kaspersky Lab")]
    [InlineData("any news about the election?", "the election")]
    [InlineData("find articles mentioning Davos", "Davos")]
    public void A_search_for_articles_names_what_it_looks_for(string message, string what) =>
        Assert.Equal(what, ArticleSearch.Recognise(message));

    [Theory]
    [InlineData("Which article did the PMO decline?")]
    [InlineData("What story did he tell the Times?")]
    [InlineData("Is there a meeting in Davos?")]
    [InlineData("What does the article say about the storm?")]
    [InlineData("what articles do you have?")]
    [InlineData("Is there an article about it?")]
    public void A_question_is_no_search(string message) =>
        Assert.Null(ArticleSearch.Recognise(message));

    private static readonly Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky.", "He will be in Davos from Tuesday."],
        ["Kaspersky Lab has 400 million users worldwide, and the harbour city of Haifa hosts its office."]);

    private static readonly Article Storm = Article("storm", "Storm closes the harbour",
        ["A winter storm closed the harbour on Monday.", "Ferries will resume on Thursday."],
        ["The mayor said the harbour would reopen once the winds drop."]);

    [Fact]
    public async Task The_articles_holding_every_word_are_listed_most_mentions_first_each_quoted_where_it_first_says_it()
    {
        var engine = WiredEngine([Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("Which articles mention the harbour?"));

        Assert.True(answer.Answered);
        Assert.Equal(["storm", "pmo"], answer.Citations.Select(c => c.SourceId));
        Assert.Equal("A winter storm closed the harbour on Monday.", answer.Citations[0].Quote);
        Assert.StartsWith("2 articles mention “the harbour”: “Storm closes the harbour” (storm) — “A winter storm", answer.Text, StringComparison.Ordinal);
        foreach (var citation in answer.Citations)
            Assert.Equal((citation.SourceId == "pmo" ? Meeting : Storm).Slice(citation.Start, citation.End), citation.Quote);
    }

    [Fact]
    public async Task Words_no_article_holds_together_are_said_to_be_in_none()
    {
        var engine = WiredEngine([Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("Is there an article about the harbour in Davos?"));

        Assert.False(answer.Answered);
        Assert.Equal("None of the 2 articles mentions “the harbour in Davos”.", answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task The_one_article_found_is_the_one_a_following_request_means()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "kim"));

        var found = await Ask("do you have anything on Davos?");
        var summary = await Ask("summarize it");

        Assert.Equal("pmo", Assert.Single(found.Citations).SourceId);
        Assert.All(summary.Citations, c => Assert.Equal("pmo", c.SourceId));
    }

    [Fact]
    public async Task An_archive_lists_the_first_few_and_counts_the_rest()
    {
        var archive = Enumerable.Range(0, 12)
            .Select(i => Article($"a{i:00}", $"Report {i}", [$"Ferries stopped in port number {i}."]))
            .ToList();
        var engine = WiredEngine(archive);

        var answer = await engine.AskAsync(new Question("which stories mention ferries?"));

        Assert.Equal(ArticleSearch.MaxListed, answer.Citations.Count);
        Assert.StartsWith("12 articles mention “ferries”: ", answer.Text, StringComparison.Ordinal);
        Assert.EndsWith("; and 7 more", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_search_listing_several_articles_a_request_about_it_asks_which()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "nat"));

        await Ask("which articles mention the harbour?");
        var which = await Ask("summarize it");
        var chosen = await Ask("the second one");

        // The two found are offered in the order the search listed them (most mentions first), not all loaded by id.
        Assert.StartsWith("Which of the 2 articles listed? “Storm closes the harbour” (storm); “Netanyahu declines", which.Text, StringComparison.Ordinal);
        Assert.NotEmpty(chosen.Citations);
        Assert.All(chosen.Citations, c => Assert.Equal("pmo", c.SourceId));
    }

    [Fact]
    public async Task The_choice_after_a_search_is_among_the_articles_it_found()
    {
        var third = Article("yukos", "Khodorkovsky quits Yukos shares", ["The tycoon handed over his stake."]);
        var engine = WiredEngine([Meeting, Storm, third]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "pia"));

        await Ask("which articles mention the harbour?");
        var which = await Ask("who wrote it?");
        var outside = await Ask("yukos");

        Assert.StartsWith("Which of the 2 articles listed?", which.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Khodorkovsky", which.Text, StringComparison.Ordinal);
        // Not one of those offered: searched as a question of its own, not taken as the choice.
        Assert.DoesNotContain("doesn't name its author", outside.Text, StringComparison.Ordinal);
    }
}
