using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ArticleQuotesTests
{
    // The test engine gives each sentence of an article its own axis of four: four sentences at most.
    private static readonly Article Meeting = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The PMO said that “regrettably, he must decline your kind invitation.”", "It’s the firm’s ‘top’ product, analysts say."],
        ["‘I would be honored to meet you,’ he wrote.", "Kaspersky said \"the talks would help both sides\" in a letter."]);

    [Theory]
    [InlineData("what are the key quotes?")]
    [InlineData("give me the quotes from the article")]
    [InlineData("any quotes?")]
    [InlineData("Who said what?")]
    [InlineData("what did people say?")]
    [InlineData("can you list the main statements in the story please")]
    public void A_request_for_what_people_said_is_recognised(string message) =>
        Assert.True(QuotesRequests.Recognise(message));

    [Theory]
    [InlineData("quote the part about the shelters")]
    [InlineData("What did the PMO say?")]
    [InlineData("What quotes did the Times use about Kaspersky?")]
    [InlineData("what did they say?")]
    public void A_question_about_one_speaker_or_topic_is_no_quotes_request(string message) =>
        Assert.False(QuotesRequests.Recognise(message));

    [Fact]
    public void Sentences_quoting_three_words_or_more_are_listed_in_order_and_scare_quotes_and_apostrophes_are_not()
    {
        var (text, citations, total) = ArticleQuotes.Of(Meeting);

        Assert.Equal(3, total);
        Assert.Equal(
            "• ‘The PMO said that “regrettably, he must decline your kind invitation.”’ [1]\n" +
            "• “‘I would be honored to meet you,’ he wrote.” [2]\n" +
            "• ‘Kaspersky said \"the talks would help both sides\" in a letter.’ [3]",
            text);
        Assert.All(citations, c => Assert.Equal(Meeting.Slice(c.Start, c.End), c.Quote));
    }

    [Fact]
    public async Task The_reply_lists_the_quoting_sentences_and_an_article_quoting_no_one_says_so()
    {
        var quoted = await WiredEngine([Meeting]).AskAsync(new Question("who said what?"));
        var silent = await WiredEngine([QuietStorm]).AskAsync(new Question("what are the key quotes?"));

        Assert.True(quoted.Answered);
        Assert.StartsWith("The sentences of “Netanyahu declines Kaspersky meeting” that quote someone, in order:\n• ", quoted.Text, StringComparison.Ordinal);
        Assert.Equal(3, quoted.Citations.Count);
        Assert.False(silent.Answered);
        Assert.Equal("“Storm closes the harbour” quotes no one's own words.", silent.Text);
    }

    [Fact]
    public async Task What_happened_is_the_short_summary()
    {
        var answer = await WiredEngine([QuietStorm]).AskAsync(new Question("what happened?"));

        Assert.True(answer.Answered);
        Assert.StartsWith("Summary of “Storm closes the harbour”:", answer.Text, StringComparison.Ordinal);
    }
}
