using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NSubstitute;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

/// <summary>"Tell me about the storm": what the articles say about a topic, when no sentence answers it as a question.</summary>
public class TopicRequestTests
{
    [Theory]
    [InlineData("tell me about the storm", "the storm")]
    [InlineData("Can you tell me more about Davos?", "Davos")]
    [InlineData("What does the article say about the ferries?", "the ferries")]
    [InlineData("what happened in the storm?", "the storm")]
    [InlineData("What happened to Yukos?", "Yukos")]
    [InlineData("what happened with the dollar?", "the dollar")]
    [InlineData("What do we know about the ferries?", "the ferries")]
    [InlineData("what's the latest on the harbour?", "the harbour")]
    [InlineData("quote the part about South Korea", "South Korea")]
    [InlineData("Can you show me the passage about the shelters?", "the shelters")]
    [InlineData("find the lines that mention Davos", "Davos")]
    [InlineData("where does the article mention the ferries?", "the ferries")]
    public void A_topic_request_names_its_topic(string question, string topic) =>
        Assert.Equal(topic, TopicRequest.Of(question));

    [Theory]
    [InlineData("What happened next?")]
    [InlineData("What did the storm close?")]
    [InlineData("Who told the mayor about the storm?")]
    [InlineData("When will the ferries resume?")]
    [InlineData("What do you think about the storm?")]
    [InlineData("Where does the ferry go?")]
    [InlineData("Show me the full article")]
    public void A_question_is_no_topic_request(string question) =>
        Assert.Null(TopicRequest.Of(question));

    [Fact]
    public void A_topic_of_more_than_three_content_words_is_a_question_of_its_own()
    {
        Assert.Equal(["storm"], TopicRequest.Terms("the storm", QuestionAnalysis.Of("tell me about the storm")));
        Assert.Null(TopicRequest.Terms("the pilots of the aircraft that was shot down", QuestionAnalysis.Of("What happened to the pilots of the aircraft that was shot down?")));
        Assert.Null(TopicRequest.Terms("it", QuestionAnalysis.Of("tell me about it")));
    }

    private static readonly Article Story = Article("storm", "Harbour closed",
        ["A winter storm closed the harbour on Monday, stranding hundreds of travellers.", "The mayor opened two shelters."],
        ["Ferries would resume on Thursday once the winds drop.", "The storm also cut power to the old town."]);

    /// <summary>A reader that finds nothing answering, except the sentences given here.</summary>
    private static IAnswerReader Reader(Dictionary<string, double>? sure = null) =>
        ScriptedReader(0.5, sentence => new ReaderVerdict(sure?.GetValueOrDefault(sentence) ?? 0.01, null));

    private static Task<Answer> Ask(IAnswerReader reader, string question) =>
        Answerer(Story, 4, Unit(4, 0), new AnsweringOptions { MinCoverage = 0, MinScore = 0 }, reader).AnswerAsync(new Question(question));

    [Fact]
    public async Task A_topic_nothing_answers_as_a_question_is_quoted_from_the_sentences_naming_it()
    {
        var answer = await Ask(Reader(), "What happened in the storm?");

        Assert.True(answer.Answered);
        Assert.StartsWith("What the article says about the storm: “", answer.Text, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Citations);
        Assert.All(answer.Citations, c => Assert.Contains("storm", c.Quote, StringComparison.OrdinalIgnoreCase));
        Assert.All(answer.Citations, c => Assert.Equal(Story.Slice(c.Start, c.End), c.Quote));
    }

    [Fact]
    public async Task A_topic_no_sentence_names_is_refused()
    {
        var answer = await Ask(Reader(), "Tell me about the election");

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task A_sentence_the_reader_finds_answering_is_quoted_as_an_answer()
    {
        var answer = await Ask(Reader(new() { ["Ferries would resume on Thursday once the winds drop."] = 0.9 }), "What happened to the ferries?");

        Assert.True(answer.Answered);
        Assert.Equal("Ferries would resume on Thursday once the winds drop.", answer.Citations[0].Quote);
        Assert.DoesNotContain("What the article says", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("and the shelters?", "shelters")]
    [InlineData("What about the mayor?", "mayor")]
    [InlineData("how about the old town", "old town")]
    public void A_follow_up_turning_to_a_topic_names_it(string message, string topicWord) =>
        Assert.Contains(topicWord, TopicRequest.OfFollowUp(message), StringComparison.Ordinal);

    [Theory]
    [InlineData("and why?")]
    [InlineData("and then?")]
    [InlineData("and what did he say?")]
    [InlineData("also, who wrote it?")]
    [InlineData("and how many were hurt?")]
    public void A_follow_up_asking_again_names_no_topic(string message) =>
        Assert.Null(TopicRequest.OfFollowUp(message));

    [Fact]
    public async Task A_follow_up_on_a_topic_the_previous_question_does_not_fit_quotes_what_the_article_says_of_the_topic()
    {
        const string shelters = "The mayor opened two shelters.";
        // The reader finds the shelters sentence answering only a question about the shelters themselves.
        var reader = Substitute.For<IAnswerReader>();
        reader.MinProbability.Returns(0.5);
        reader.ReadAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<ReaderCandidate>>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult<IReadOnlyList<ReaderVerdict>>([.. call.Arg<IReadOnlyList<ReaderCandidate>>().Select(c =>
                new ReaderVerdict(c.Sentence == shelters && call.Arg<string>().StartsWith("What is said about", StringComparison.Ordinal) ? 0.9 : 0.01, null))]));
        var engine = WiredEngine([Story], new AnsweringOptions { MinCoverage = 0, MinScore = 0 }, reader: reader);

        await engine.AskAsync(new Question("When will the ferries resume?", ConversationId: "ola"));
        var answer = await engine.AskAsync(new Question("and the shelters?", ConversationId: "ola"));

        Assert.True(answer.Answered);
        Assert.Equal(shelters, Assert.Single(answer.Citations).Quote);
        Assert.Equal("and the shelters?", answer.Question);
    }
}
