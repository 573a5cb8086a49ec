using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class SummaryRequestTests
{
    [Theory]
    [InlineData("Summarize the article", SummaryLength.Medium)]
    [InlineData("summarise this please", SummaryLength.Medium)]
    [InlineData("Can you summarize the whole story for me?", SummaryLength.Medium)]
    [InlineData("sum it up", SummaryLength.Medium)]
    [InlineData("What are the key points?", SummaryLength.Medium)]
    [InlineData("give me an overview of the article", SummaryLength.Medium)]
    [InlineData("@newsbot summary?", SummaryLength.Medium)]
    [InlineData("tl;dr", SummaryLength.Short)]
    [InlineData("give me the gist", SummaryLength.Short)]
    [InlineData("what's the gist of the story?", SummaryLength.Short)]
    [InlineData("Could you give me a short summary?", SummaryLength.Short)]
    [InlineData("summarize it in one sentence", SummaryLength.OneSentence)]
    [InlineData("give me a one-sentence summary", SummaryLength.OneSentence)]
    [InlineData("sum it up in a single sentence", SummaryLength.OneSentence)]
    [InlineData("tl;dr in one line", SummaryLength.OneSentence)]
    [InlineData("summarize the article in two sentences", SummaryLength.Short)]
    [InlineData("summarize the article briefly", SummaryLength.Short)]
    [InlineData("I’d like a detailed summary of the piece", SummaryLength.Long)]
    [InlineData("summarize the article in detail", SummaryLength.Long)]
    [InlineData("summarize in 3 bullet points", SummaryLength.Short)]
    [InlineData("summarize the article as bullet points", SummaryLength.Medium)]
    [InlineData("give me the key points in five bullets", SummaryLength.Medium)]
    [InlineData("what's the bottom line?", SummaryLength.OneSentence)]
    [InlineData("what happened?", SummaryLength.Short)]
    [InlineData("So what's going on?", SummaryLength.Short)]
    [InlineData("what happened in the story?", SummaryLength.Short)]
    public void A_request_for_a_summary_of_the_article_is_recognised_with_its_length(string message, SummaryLength length)
    {
        Assert.Equal(length, SummaryRequests.Recognise(message));
    }

    [Theory]
    [InlineData("Summarize what Kaspersky said about Israel")]
    [InlineData("What is the article about?")]
    [InlineData("Why did the PMO decline the meeting?")]
    [InlineData("What did the summary of the Israeli report say?")]
    [InlineData("Who wrote the summary?")]
    [InlineData("What are the key points of the ban?")]
    [InlineData("Summarize the report")]
    [InlineData("What is the bottom line for investors?")]
    [InlineData("How many points did the Panthers score?")]
    [InlineData("What happened to Yukos?")]
    [InlineData("what happened next?")]
    [InlineData("What happened in 2015?")]
    public void A_question_that_names_a_topic_is_not_a_summary_request(string message)
    {
        Assert.Null(SummaryRequests.Recognise(message));
    }

    private static readonly Sources.Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky.", "He will be in Davos from Tuesday."],
        ["Kaspersky Lab has 400 million users worldwide."]);

    private static readonly Sources.Article Storm = Article("storm", "Storm closes the harbour",
        ["A winter storm closed the harbour on Monday.", "Ferries will resume on Thursday."]);

    [Fact]
    public async Task Summarize_in_a_chat_replies_with_the_summary_quoted_exactly()
    {
        var engine = WiredEngine(Meeting);

        var answer = await engine.AskAsync(new Question("Summarize the article, please"));
        var summary = await engine.SummarizeAsync(new SummaryRequest());

        Assert.True(answer.Answered);
        Assert.Equal($"Summary of “{Meeting.Title}”: {summary.Text}", answer.Text);
        Assert.Equal(summary.Citations, answer.Citations);
        Assert.All(answer.Citations, c => Assert.Equal(Meeting.Slice(c.Start, c.End), c.Quote));
    }

    [Fact]
    public async Task Summarize_in_bullet_points_puts_each_cited_sentence_on_a_line_of_its_own()
    {
        var engine = WiredEngine(Meeting);

        var bullets = await engine.AskAsync(new Question("summarize the article in bullet points"));
        var prose = await engine.AskAsync(new Question("summarize the article"));

        Assert.True(bullets.Answered);
        Assert.Equal(prose.Citations, bullets.Citations);
        Assert.Equal(
            $"Summary of “{Meeting.Title}”:\n" + string.Join("\n", bullets.Citations.Select(c => $"• {c.Quote} [{c.Number}]")),
            bullets.Text);
        Assert.True(bullets.Citations.Count > 1);
        Assert.DoesNotContain("•", prose.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summarize_in_one_sentence_replies_with_one_cited_sentence()
    {
        var engine = WiredEngine(Meeting);

        var answer = await engine.AskAsync(new Question("summarize it in one sentence"));
        var medium = await engine.SummarizeAsync(new SummaryRequest());

        Assert.True(answer.Answered);
        var only = Assert.Single(answer.Citations);
        Assert.Equal(Meeting.Slice(only.Start, only.End), only.Quote);
        Assert.True(medium.Citations.Count > 1);
    }

    [Theory]
    [InlineData("short", SummaryLength.Short)]
    [InlineData("MEDIUM", SummaryLength.Medium)]
    [InlineData(" Long ", SummaryLength.Long)]
    [InlineData("2", null)]
    [InlineData("OneSentence", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_the_commands_length_words_are_lengths(string? word, SummaryLength? length)
    {
        Assert.Equal(length, SummaryLengths.FromCommandWord(word));
    }

    [Fact]
    public async Task Sum_it_up_after_a_question_summarises_the_article_the_conversation_quoted()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text, string conversation) => engine.AskAsync(new Question(text, ConversationId: conversation));

        var first = await Ask("When will the ferries resume after the storm closed the harbour?", "bob");
        Assert.Equal("storm", first.Citations[0].SourceId);

        var followUp = await Ask("sum it up", "bob");
        var fresh = await Ask("sum it up", "carol");

        Assert.All(followUp.Citations, c => Assert.Equal("storm", c.SourceId));
        Assert.Contains(Storm.Title, followUp.Text, StringComparison.Ordinal);
        Assert.All(fresh.Citations, c => Assert.Equal("pmo", c.SourceId));
    }

    [Theory]
    [InlineData("summarize the article")]
    [InlineData("What is the article about?")]
    [InlineData("Who wrote this article?")]
    public async Task About_the_article_with_several_loaded_and_none_quoted_asks_which_one(string message)
    {
        var engine = WiredEngine([Meeting, Storm]);

        var reply = await engine.AskAsync(new Question(message, ConversationId: "dave"));

        Assert.False(reply.Answered);
        Assert.Empty(reply.Citations);
        Assert.StartsWith("2 articles are loaded; which one?", reply.Text, StringComparison.Ordinal);
        Assert.Contains("“Storm closes the harbour” (storm)", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storm", "storm")]
    [InlineData("the first one", "pmo")]
    [InlineData("2", "storm")]
    [InlineData("the one about the harbour", "storm")]
    [InlineData("Kaspersky meeting please", "pmo")]
    public async Task The_reply_to_which_one_gets_the_summary_of_the_article_it_names(string reply, string sourceId)
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "erin"));

        await Ask("summarize the article");
        var summary = await Ask(reply);

        Assert.True(summary.Answered);
        Assert.StartsWith("Summary of", summary.Text, StringComparison.Ordinal);
        Assert.All(summary.Citations, c => Assert.Equal(sourceId, c.SourceId));
    }

    [Fact]
    public async Task A_new_question_after_which_one_is_answered_as_a_question()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "finn"));

        await Ask("who wrote it?");
        var answer = await Ask("When did the storm close the harbour?");
        var unrelated = await Ask("the third one");

        Assert.True(answer.Answered);
        Assert.Equal("storm", answer.Citations[0].SourceId);
        Assert.DoesNotContain("Summary of", unrelated.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pmo", "pmo")]
    [InlineData("PMO!", "pmo")]
    [InlineData("#2", "storm")]
    [InlineData("second article", "storm")]
    [InlineData("the storm one", "storm")]
    [InlineData("the third one", null)]
    [InlineData("Why did the storm close the harbour", null)]
    [InlineData("is it the storm?", null)]
    [InlineData("the one about ferries", null)]
    [InlineData("the one about the storm and the Kaspersky meeting in Davos last week", null)]
    public void A_choice_names_an_article_by_id_place_in_the_list_or_title(string message, string? sourceId)
    {
        Assert.Equal(sourceId, ArticleChoice.Pick(message, [Meeting, Storm])?.Id);
    }

    [Fact]
    public async Task What_is_it_about_after_a_question_means_the_article_the_conversation_quoted()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "erin"));

        await Ask("When will the ferries resume after the storm closed the harbour?");
        var gist = await Ask("what is the article about?");

        Assert.True(gist.Answered);
        Assert.All(gist.Citations, c => Assert.Equal("storm", c.SourceId));
        var scoped = await engine.AskAsync(new Question("What is the article about?", SourceId: "pmo"));
        Assert.All(scoped.Citations, c => Assert.Equal("pmo", c.SourceId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("storm")]
    public async Task Who_wrote_it_after_a_question_asks_about_that_article_not_the_carried_topic(string? source)
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "frank", SourceId: source));

        await Ask("When will the ferries resume after the storm closed the harbour?");
        var byline = await Ask("who wrote it?");

        Assert.Equal($"“{Storm.Title}” doesn't name its author.", byline.Text);
    }

    [Fact]
    public async Task The_headline_of_it_after_a_question_is_that_article_s_and_with_none_quoted_the_bot_asks_which()
    {
        var engine = WiredEngine([Meeting, Storm]);

        await engine.AskAsync(new Question("When will the ferries resume after the storm closed the harbour?", ConversationId: "gina"));
        var headline = await engine.AskAsync(new Question("what's the headline?", ConversationId: "gina"));
        var fresh = await engine.AskAsync(new Question("what's the headline?", ConversationId: "hal"));

        Assert.Equal("storm", Assert.Single(headline.Citations).SourceId);
        Assert.StartsWith("2 articles are loaded; which one?", fresh.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_summary_command_the_conversation_is_about_that_article()
    {
        var engine = WiredEngine([Meeting, Storm]);

        await engine.AskAsync(new Question("What did the office say about the meeting with Kaspersky?", ConversationId: "ivy"));
        var summary = await engine.SummarizeAsync(new SummaryRequest("storm", SummaryLength.Short, ConversationId: "ivy"));
        var more = await engine.AskAsync(new Question("tell me more", ConversationId: "ivy"));
        var headline = await engine.AskAsync(new Question("what's the headline?", ConversationId: "ivy"));
        var elsewhere = await engine.AskAsync(new Question("what's the headline?", ConversationId: "jim"));

        Assert.Equal("storm", summary.SourceId);
        Assert.True(more.Text.StartsWith("Next, the article says:", StringComparison.Ordinal) || more.Text == $"That was the end of “{Storm.Title}”.", more.Text);
        Assert.All(more.Citations, c => Assert.Equal("storm", c.SourceId));
        Assert.Equal("storm", Assert.Single(headline.Citations).SourceId);
        Assert.StartsWith("2 articles are loaded; which one?", elsewhere.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("summarize the article about the storm", "the storm", "summarize the article")]
    [InlineData("Who wrote the Kaspersky story?", "Kaspersky", "Who wrote the article?")]
    [InlineData("what is the harbour piece about?", "harbour", "what is the article about?")]
    [InlineData("give me a summary of the story on Davos, please", "Davos, please", "give me a summary of the article")]
    public void A_request_naming_its_article_reads_as_one_about_the_article(string message, string named, string request) =>
        Assert.Equal((request, named), ArticleReference.Of(message));

    [Theory]
    [InlineData("summarize the whole article")]
    [InlineData("who wrote the first story?")]
    [InlineData("Why did the PMO decline the meeting?")]
    [InlineData("what is this article about?")]
    public void A_message_naming_no_article_is_left_as_it_is(string message) =>
        Assert.Null(ArticleReference.Of(message));

    [Theory]
    [InlineData("summarize the article about the storm", "storm")]
    [InlineData("Who wrote the Kaspersky story?", "pmo")]
    [InlineData("what's the headline of the article about Davos?", "pmo")]
    [InlineData("what is the harbour article about?", "storm")]
    public async Task A_request_about_an_article_it_names_is_about_that_one(string message, string sourceId)
    {
        var engine = WiredEngine([Meeting, Storm]);

        // The conversation last quoted the other article: the one named wins.
        var other = sourceId == "pmo" ? "When will the ferries resume after the storm closed the harbour?" : "Why must the office decline the meeting with Kaspersky?";
        await engine.AskAsync(new Question(other, ConversationId: "lee"));
        var answer = await engine.AskAsync(new Question(message, ConversationId: "lee"));

        Assert.DoesNotContain("doesn't say", answer.Text, StringComparison.Ordinal);
        Assert.All(answer.Citations, c => Assert.Equal(sourceId, c.SourceId));
        if (answer.Citations.Count == 0)
            Assert.Equal($"“{(sourceId == "pmo" ? Meeting : Storm).Title}” doesn't name its author.", answer.Text);
    }

    [Fact]
    public async Task A_request_naming_no_loaded_article_asks_which()
    {
        var engine = WiredEngine([Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("summarize the article about football", ConversationId: "max"));
        var choice = await engine.AskAsync(new Question("the storm one", ConversationId: "max"));

        Assert.StartsWith("I can't tell which article “football” means. 2 articles are loaded; which one?", answer.Text, StringComparison.Ordinal);
        Assert.All(choice.Citations, c => Assert.Equal("storm", c.SourceId));
        Assert.NotEmpty(choice.Citations);
    }

    [Theory]
    [InlineData("storm", "storm")]
    [InlineData("STORM", "storm")]
    [InlineData("harbour", "storm")]
    [InlineData("Kaspersky meeting", "pmo")]
    [InlineData("Davos", "pmo")]
    public async Task A_summary_command_takes_headline_words_for_its_source(string words, string sourceId)
    {
        var engine = WiredEngine([Meeting, Storm]);

        Assert.Equal(sourceId, engine.SourceNamed(words));
        Assert.Equal(sourceId, (await engine.SummarizeAsync(new SummaryRequest(words))).SourceId);
    }

    [Fact]
    public async Task Words_naming_no_article_are_an_unknown_source()
    {
        var engine = WiredEngine([Meeting, Storm]);

        Assert.Null(engine.SourceNamed("football"));
        var rejected = await Assert.ThrowsAsync<QuestionRejectedException>(() => engine.SummarizeAsync(new SummaryRequest("football")));
        Assert.Equal(QuestionProblem.UnknownSource, rejected.Problem);
    }

    [Fact]
    public async Task A_question_scoped_by_headline_words_is_asked_of_that_article()
    {
        var engine = WiredEngine([Meeting, Storm]);

        var answer = await engine.AskAsync(new Question("who wrote it?", SourceId: "harbour"));

        Assert.Equal($"“{Storm.Title}” doesn't name its author.", answer.Text);
    }
}
