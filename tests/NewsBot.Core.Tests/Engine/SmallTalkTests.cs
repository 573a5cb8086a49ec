using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Core.Tests.Ingestion;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Summaries;
using NSubstitute;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class SmallTalkTests
{
    [Theory]
    [InlineData("thanks", SocialAct.Thanks)]
    [InlineData("Thank you!", SocialAct.Thanks)]
    [InlineData("thanks so much 🙏", SocialAct.Thanks)]
    [InlineData("ok thanks", SocialAct.Thanks)]
    [InlineData("hello", SocialAct.Greeting)]
    [InlineData("Hi there!", SocialAct.Greeting)]
    [InlineData("Good morning", SocialAct.Greeting)]
    [InlineData("hellooo", SocialAct.Greeting)]
    [InlineData("how are you?", SocialAct.Greeting)]
    [InlineData("ok", SocialAct.Acknowledgement)]
    [InlineData("Okay.", SocialAct.Acknowledgement)]
    [InlineData("lol", SocialAct.Acknowledgement)]
    [InlineData("hahaha", SocialAct.Acknowledgement)]
    [InlineData("got it", SocialAct.Acknowledgement)]
    [InlineData("you too", SocialAct.Acknowledgement)]
    [InlineData("quit", SocialAct.Farewell)]
    [InlineData("exit", SocialAct.Farewell)]
    [InlineData("bye!", SocialAct.Farewell)]
    [InlineData("thanks, bye", SocialAct.Farewell)]
    [InlineData("see you later", SocialAct.Farewell)]
    [InlineData("👍", SocialAct.Wordless)]
    [InlineData("🙂🙂", SocialAct.Wordless)]
    [InlineData("...", SocialAct.Wordless)]
    public void Social_messages_are_recognised(string message, SocialAct? act) =>
        Assert.Equal(act, SmallTalk.Recognise(message));

    [Theory]
    [InlineData("what did he say next?")]
    [InlineData("and then?")]
    [InlineData("go on")]
    [InlineData("why?")]
    [InlineData("tell me more")]
    [InlineData("and?")]
    [InlineData("Kaspersky?")]
    [InlineData("ok and then?")]
    [InlineData("Thanks! Why did the PMO decline?")]
    [InlineData("What is the article about?")]
    [InlineData("Who won the 2018 World Cup?")]
    [InlineData("is it true?")]
    [InlineData("no, what did Netanyahu say?")]
    public void Questions_are_not_small_talk(string message) =>
        Assert.Null(SmallTalk.Recognise(message));

    private static readonly Sources.Article Story = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said Netanyahu must decline the meeting with Kaspersky.", "He will be in Davos from Tuesday."],
        ["Kaspersky Lab has 400 million users worldwide."]);

    [Fact]
    public async Task Small_talk_after_a_question_gets_a_short_reply_and_reading_on_still_follows_the_question()
    {
        var engine = WiredEngine(Story);
        Task<Answer> Ask(string text) => engine.AskAsync(new Question(text, ConversationId: "alice"));

        var first = await Ask("Why did the office decline the meeting with Kaspersky?");
        Assert.True(first.Answered);
        Assert.Equal(Story.Sentences[0].Text, first.Citations[0].Quote);

        foreach (var smallTalk in new[] { "thanks", "thank you!", "hello", "ok", "lol", "👍", "quit" })
        {
            var reply = await Ask(smallTalk);
            Assert.False(reply.Answered, smallTalk);
            Assert.Empty(reply.Citations);
            Assert.DoesNotContain("Kaspersky", reply.Text, StringComparison.Ordinal);
            Assert.Equal(SmallTalk.Reply(SmallTalk.Recognise(smallTalk)!.Value), reply.Text);
        }

        var next = await Ask("what did he say next?");
        Assert.True(next.Answered);
        Assert.Equal(Story.Sentences[1].Text, next.Citations[0].Quote);
    }

    [Fact]
    public async Task Small_talk_with_no_conversation_gets_the_same_reply()
    {
        var reply = await WiredEngine(Story).AskAsync(new Question("Thank you!"));

        Assert.Equal(SmallTalk.Reply(SocialAct.Thanks), reply.Text);
        Assert.Empty(reply.Citations);
    }
}
