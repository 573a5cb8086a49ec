using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class NewsDigestTests
{
    private static readonly Article Storm = Article("storm", "Storm closes the harbour",
        [(ParagraphKind.Byline, ["Published March 3, 2024 10:15 am"]),
         (ParagraphKind.Body, ["A winter storm closed the harbour on Monday, stranding hundreds of travellers.", "Ferries will resume on Thursday."])]);

    private static readonly Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        [(ParagraphKind.Byline, ["January 22, 2018"]),
         (ParagraphKind.Body, ["The office said Netanyahu must decline the meeting with Kaspersky in Davos.", "He will be in Davos from Tuesday."])]);

    private static readonly Article Yukos = Article("yukos", "Khodorkovsky quits Yukos shares",
        ["Jailed tycoon Mikhail Khodorkovsky has transferred his controlling stake in Yukos to a partner.", "The partner lives in Israel."]);

    [Theory]
    [InlineData("what's the news?")]
    [InlineData("What’s the latest news today?")]
    [InlineData("summarize all the articles")]
    [InlineData("Summarize all of them, please")]
    [InlineData("summarise every article")]
    [InlineData("summarize the articles")]
    [InlineData("summarize everything")]
    [InlineData("give me a quick summary of all the stories")]
    [InlineData("can you give me the headlines?")]
    [InlineData("any news?")]
    [InlineData("what's new")]
    [InlineData("headlines please")]
    [InlineData("news digest")]
    [InlineData("catch me up")]
    [InlineData("@newsbot what's happening today?")]
    [InlineData("hello, summarize all the articles")]
    public void A_request_for_the_news_across_the_articles_is_a_digest_request(string message)
    {
        Assert.True(DigestRequests.Recognise(message));
    }

    [Theory]
    [InlineData("what's the latest on the storm?")]
    [InlineData("any news about Russia?")]
    [InlineData("summarize the article")]
    [InlineData("summarize it")]
    [InlineData("what did the news report say?")]
    [InlineData("what's the news about Yukos?")]
    [InlineData("summarize all the evidence against Kaspersky")]
    [InlineData("Why did the PMO decline the meeting?")]
    public void A_message_about_something_or_one_article_is_no_digest_request(string message)
    {
        Assert.False(DigestRequests.Recognise(message));
    }

    [Theory]
    [InlineData("Published March 3, 2024 10:15 am", 2024, 3, 3)]
    [InlineData("Updated: Sept. 4th, 2019, 6:02 p.m. ET", 2019, 9, 4)]
    [InlineData("22 January 2018", 2018, 1, 22)]
    [InlineData("Posted 2023-11-30T08:00:00Z", 2023, 11, 30)]
    public void A_date_line_gives_its_calendar_date(string line, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), PublicationDate.Parse(line));
    }

    [Theory]
    [InlineData("February 30, 2024")]
    [InlineData("Updated 5 hours ago")]
    [InlineData("March 3")]
    [InlineData("2024-13-01")]
    public void A_line_with_no_whole_calendar_date_gives_none(string line)
    {
        Assert.Null(PublicationDate.Parse(line));
    }

    [Fact]
    public async Task The_news_lists_every_article_newest_first_each_with_a_quoted_lead()
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("what's the news?"));

        Assert.True(answer.Answered);
        Assert.StartsWith("The 3 articles loaded, newest first:\n• “Storm closes the harbour” (storm, March 3, 2024): A winter storm closed", answer.Text, StringComparison.Ordinal);
        Assert.Equal(["storm", "pmo", "yukos"], answer.Citations.Select(c => c.SourceId));
        Assert.Equal([1, 2, 3], answer.Citations.Select(c => c.Number));
        Assert.Contains("• “Khodorkovsky quits Yukos shares” (yukos): Jailed tycoon", answer.Text, StringComparison.Ordinal);
        var articles = new[] { Storm, Meeting, Yukos };
        Assert.All(answer.Citations, c => Assert.Equal(articles.Single(a => a.Id == c.SourceId).Slice(c.Start, c.End), c.Quote));
        Assert.All(answer.Citations, c => Assert.Contains($"{c.Quote} [{c.Number}]", answer.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("what's new")]
    [InlineData("hi, what's new?")]
    [InlineData("any news?")]
    [InlineData("headlines please")]
    [InlineData("what's happening today?")]
    public async Task Greetings_and_questions_about_the_bot_do_not_take_a_digest_request(string message)
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);

        var answer = await engine.AskAsync(new Question(message));

        Assert.StartsWith("The 3 articles loaded, newest first:", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_s_digest_shows_the_newest_few_and_counts_the_rest()
    {
        var many = Enumerable.Range(1, NewsDigest.MaxArticles + 4)
            .Select(n => Article($"a{n:D2}", $"Story number {n}",
                [(ParagraphKind.Byline, [$"Published May {n}, 2024"]), (ParagraphKind.Body, [$"Reporters wrote story number {n} about the city council meeting."])]))
            .ToList();
        var engine = WiredEngine(many);

        var summary = await engine.SummarizeAsync(new SummaryRequest());

        Assert.Null(summary.SourceId);
        Assert.Equal($"The {NewsDigest.MaxArticles} newest of {many.Count} articles", summary.Title);
        Assert.Equal(Enumerable.Range(0, NewsDigest.MaxArticles).Select(k => $"a{many.Count - k:D2}"), summary.Citations.Select(c => c.SourceId));
        Assert.Contains("/sources lists them all", summary.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summarize_it_after_a_digest_asks_which_of_those_listed_and_the_choice_is_among_them()
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);
        await engine.AskAsync(new Question("catch me up", ConversationId: "c"));

        var which = await engine.AskAsync(new Question("summarize it", ConversationId: "c"));
        var chosen = await engine.AskAsync(new Question("the second one", ConversationId: "c"));

        Assert.False(which.Answered);
        Assert.StartsWith("Which of the 3 articles listed? “Storm closes the harbour” (storm); “Netanyahu declines", which.Text, StringComparison.Ordinal);
        Assert.True(chosen.Answered);
        Assert.All(chosen.Citations, c => Assert.Equal("pmo", c.SourceId));
    }

    [Fact]
    public async Task A_summary_command_without_a_source_summarises_the_article_being_discussed_else_gives_the_digest()
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);

        var fresh = await engine.SummarizeAsync(new SummaryRequest(ConversationId: "c"));
        var asked = await engine.AskAsync(new Question("When will the ferries resume after the storm closed the harbour?", ConversationId: "c"));
        var discussed = await engine.SummarizeAsync(new SummaryRequest(ConversationId: "c"));
        var elsewhere = await engine.SummarizeAsync(new SummaryRequest(ConversationId: "other"));

        Assert.Equal("storm", asked.Citations[0].SourceId);
        Assert.Null(fresh.SourceId);
        Assert.Equal(3, fresh.Citations.Select(c => c.SourceId).Distinct().Count());
        Assert.Equal("storm", discussed.SourceId);
        Assert.Null(elsewhere.SourceId);
    }

    [Fact]
    public async Task With_one_article_the_news_is_its_summary_and_with_none_the_reply_says_none_is_loaded()
    {
        var one = WiredEngine([Storm]);
        var none = WiredEngine([]);

        var answer = await one.AskAsync(new Question("what's the news?"));
        var summary = await one.SummarizeAsync(new SummaryRequest());
        var empty = await none.AskAsync(new Question("catch me up"));

        Assert.StartsWith("Summary of “Storm closes the harbour”:", answer.Text, StringComparison.Ordinal);
        Assert.Equal("storm", summary.SourceId);
        Assert.False(empty.Answered);
        Assert.Equal("No articles are loaded yet; add files to the seeds folder and reload.", empty.Text);
        await Assert.ThrowsAsync<QuestionRejectedException>(() => none.SummarizeAsync(new SummaryRequest()));
    }

    [Fact]
    public async Task A_question_scoped_to_one_article_is_never_a_digest()
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("what's the news?", SourceId: "storm"));

        Assert.DoesNotContain("articles loaded", answer.Text, StringComparison.Ordinal);
        Assert.All(answer.Citations, c => Assert.Equal("storm", c.SourceId));
    }

    [Theory]
    [InlineData("tell me more about the third one", "yukos")]
    [InlineData("the second one", "pmo")]
    [InlineData("summarize the 1st story", "storm")]
    [InlineData("what about #2?", "pmo")]
    public async Task A_place_in_the_digest_gets_that_article_s_summary(string message, string sourceId)
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);
        await engine.AskAsync(new Question("what's the news?", ConversationId: "c"));

        var answer = await engine.AskAsync(new Question(message, ConversationId: "c"));
        var headline = await engine.AskAsync(new Question("what's the headline?", ConversationId: "c"));

        Assert.True(answer.Answered);
        Assert.StartsWith("Summary of “", answer.Text, StringComparison.Ordinal);
        Assert.All(answer.Citations, c => Assert.Equal(sourceId, c.SourceId));
        Assert.Equal(sourceId, Assert.Single(headline.Citations).SourceId);
    }

    [Theory]
    [InlineData("the ninth one")]
    [InlineData("Why did the third partner leave?")]
    [InlineData("the second one")]
    public async Task A_place_outside_the_list_a_question_or_no_list_before_is_no_pick(string message)
    {
        var engine = WiredEngine([Yukos, Meeting, Storm]);
        if (message != "the second one")
            await engine.AskAsync(new Question("what's the news?", ConversationId: "c"));

        var answer = await engine.AskAsync(new Question(message, ConversationId: "c"));

        Assert.DoesNotContain("Summary of", answer.Text, StringComparison.Ordinal);
    }
}
