using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class BotQuestionTests
{
    [Theory]
    [InlineData("help", BotQuestion.Help)]
    [InlineData("Help!", BotQuestion.Help)]
    [InlineData("What can you do?", BotQuestion.Help)]
    [InlineData("how does this work?", BotQuestion.Help)]
    [InlineData("What articles do you have?", BotQuestion.Articles)]
    [InlineData("which sources are loaded?", BotQuestion.Articles)]
    [InlineData("list the articles", BotQuestion.Articles)]
    [InlineData("What can I ask about?", BotQuestion.Articles)]
    [InlineData("translate the first paragraph into French", BotQuestion.Rewrite)]
    [InlineData("Can you rewrite the article for a ten-year-old?", BotQuestion.Rewrite)]
    [InlineData("explain it like I’m five", BotQuestion.Rewrite)]
    [InlineData("please write a tweet about this story", BotQuestion.Rewrite)]
    [InlineData("make it shorter", BotQuestion.Rewrite)]
    [InlineData("how many articles do you have?", BotQuestion.Articles)]
    [InlineData("What topics do you cover?", BotQuestion.Articles)]
    [InlineData("are you a bot?", BotQuestion.Identity)]
    [InlineData("Who are you?", BotQuestion.Identity)]
    [InlineData("who made you?", BotQuestion.Identity)]
    [InlineData("Are you human?", BotQuestion.Identity)]
    [InlineData("show me the full article", BotQuestion.WholeArticle)]
    [InlineData("Where can I read the whole article?", BotQuestion.WholeArticle)]
    [InlineData("what's the link to the article?", BotQuestion.WholeArticle)]
    [InlineData("What is the source of this article?", BotQuestion.WholeArticle)]
    [InlineData("what time is it?", BotQuestion.ClockOrSum)]
    [InlineData("What's the date today?", BotQuestion.ClockOrSum)]
    [InlineData("hey, what day is it?", BotQuestion.ClockOrSum)]
    [InlineData("what's today's date", BotQuestion.ClockOrSum)]
    [InlineData("what's 2+2?", BotQuestion.ClockOrSum)]
    [InlineData("What is 12 * 7", BotQuestion.ClockOrSum)]
    [InlineData("how much is 5 times 3?", BotQuestion.ClockOrSum)]
    [InlineData("calculate 1.5 / 3 + 2", BotQuestion.ClockOrSum)]
    [InlineData("is it true?", BotQuestion.Judgement)]
    [InlineData("Is this fake news?", BotQuestion.Judgement)]
    [InlineData("is the article biased", BotQuestion.Judgement)]
    [InlineData("can I trust this story?", BotQuestion.Judgement)]
    [InlineData("what do you think about it?", BotQuestion.Judgement)]
    [InlineData("what do you think?", BotQuestion.Judgement)]
    [InlineData("what's your take on this article?", BotQuestion.Judgement)]
    [InlineData("do you agree?", BotQuestion.Judgement)]
    [InlineData("thoughts?", BotQuestion.Judgement)]
    [InlineData("ok but is that really true?", BotQuestion.Judgement)]
    [InlineData("fact-check this", BotQuestion.Judgement)]
    public void Questions_about_the_bot_itself_are_recognised(string message, BotQuestion asked)
    {
        Assert.Equal(asked, BotQuestions.Recognise(message));
    }

    [Theory]
    [InlineData("Who helped Kaspersky?")]
    [InlineData("What help did the US get from Israel?")]
    [InlineData("Which articles of the law were broken?")]
    [InlineData("What can you do about the hack?")]
    [InlineData("What sources did the Times cite?")]
    [InlineData("Explain why the US banned Kaspersky")]
    [InlineData("Who translated the report?")]
    [InlineData("Did Kaspersky rewrite the code?")]
    [InlineData("How many articles of the constitution were changed?")]
    [InlineData("Who made the software?")]
    [InlineData("Are you sure Kaspersky was involved?")]
    [InlineData("What topics did Kaspersky want to discuss?")]
    [InlineData("What is the source of the leak?")]
    [InlineData("Where can I read the report?")]
    [InlineData("What link did the Times find?")]
    [InlineData("What did Kaspersky write in his letter?")]
    [InlineData("What time is the meeting?")]
    [InlineData("what's the date?")]
    [InlineData("What was the date of the attack?")]
    [InlineData("What day did the ferries resume?")]
    [InlineData("What is 2% of the sales?")]
    [InlineData("What is the 2015 report?")]
    [InlineData("How much is 400 million users worth?")]
    [InlineData("Is it true that the PMO declined the meeting?")]
    [InlineData("Is the claim accurate?")]
    [InlineData("What do you think about Kaspersky?")]
    [InlineData("Was the report true?")]
    [InlineData("Do you agree with the NSA's view?")]
    [InlineData("Can I trust Kaspersky software?")]
    [InlineData("What did the Times think of it?")]
    [InlineData("Which countries banned Kaspersky?")]
    [InlineData("What places did the storm hit?")]
    [InlineData("Where is the firm based?")]
    public void Questions_for_the_articles_are_not_about_the_bot(string message)
    {
        Assert.Null(BotQuestions.Recognise(message));
    }

    private static readonly Sources.Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky."]);

    private static readonly Sources.Article Storm = Article("storm", "Storm closes the harbour",
        ["A winter storm closed the harbour on Monday."]);

    [Fact]
    public async Task Help_and_the_article_list_are_answered_without_a_search_and_leave_the_conversation_alone()
    {
        var engine = WiredEngine([Meeting, Storm]);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "gus"));

        var first = await Ask("When did the storm close the harbour?");
        var help = await Ask("help");
        var list = await Ask("what articles do you have?");
        var identity = await Ask("are you a bot?");
        var next = await Ask("what did he say next?");

        Assert.Equal(BotQuestions.HelpReply, help.Text);
        Assert.StartsWith("I'm NewsBot, a bot, not a person. I answer questions", identity.Text, StringComparison.Ordinal);
        Assert.Equal("I can answer questions about 2 articles: “Netanyahu declines Kaspersky meeting” (pmo); “Storm closes the harbour” (storm).", list.Text);
        Assert.Empty(help.Citations);
        Assert.Empty(list.Citations);
        Assert.Equal("storm", first.Citations[0].SourceId);
        Assert.Equal("That was the end of “Storm closes the harbour”.", next.Text);
    }

    [Fact]
    public void A_large_archive_is_listed_by_its_first_ten_titles_and_a_count_of_the_rest()
    {
        var archive = Enumerable.Range(1, 1_215)
            .Select(n => Article($"a{n:D4}", $"Story {n}", [$"Story {n} happened on Monday."]))
            .ToList();

        var listing = ArticleListing.Of(archive);

        Assert.StartsWith("“Story 1” (a0001); “Story 2” (a0002);", listing, StringComparison.Ordinal);
        Assert.EndsWith("“Story 10” (a0010); and 1,205 more (/sources lists them)", listing, StringComparison.Ordinal);
        Assert.Equal("1,215 articles", ArticleListing.Count(archive.Count));
        Assert.Equal("1 article", ArticleListing.Count(1));
        Assert.Equal("“Story 1” (a0001)", ArticleListing.Of([archive[0]]));
    }

    [Fact]
    public async Task A_request_to_translate_is_told_what_the_bot_does_not_that_the_article_is_silent()
    {
        var engine = WiredEngine(Meeting);

        var reply = await engine.AskAsync(new Question("Could you translate the article into French?"));

        Assert.False(reply.Answered);
        Assert.Empty(reply.Citations);
        Assert.Equal(BotQuestions.RewriteReply, reply.Text);
    }
}
