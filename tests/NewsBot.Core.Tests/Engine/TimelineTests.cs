using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class TimelineTests
{
    private static readonly Article Hack = Article("hack", "Israel hacked Kaspersky",
        ["In October 2017, US media outlets reported the Israeli tip-off.", "Kaspersky discovered the hack in 2015."],
        ["The operation began in 2014, the newspaper said.", "Last year the firm opened a centre in Jerusalem."]);

    [Theory]
    [InlineData("give me a timeline")]
    [InlineData("Timeline please")]
    [InlineData("what's the chronology?")]
    [InlineData("can you give me a timeline of events?")]
    [InlineData("list the events in chronological order")]
    public void A_request_for_the_events_in_order_is_a_timeline_request(string message) =>
        Assert.True(TimelineRequests.Recognise(message));

    [Theory]
    [InlineData("What is the timeline for the ferries to resume?")]
    [InlineData("When did the events happen?")]
    [InlineData("summarize the article")]
    public void A_question_about_a_date_is_no_timeline_request(string message) =>
        Assert.False(TimelineRequests.Recognise(message));

    [Theory]
    [InlineData("In October 2017, outlets reported it.", 2017, 10, "October 2017")]
    [InlineData("It began in 2014, the paper said.", 2014, 0, "2014")]
    [InlineData("On May 5, 2016 the law passed.", 2016, 5, "May 2016")]
    [InlineData("Sales of 2,014 units fell 20% by 2019.", 2019, 0, "2019")]
    public void A_sentence_s_first_named_year_dates_it(string sentence, int year, int month, string label) =>
        Assert.Equal((year, month, label), Timeline.FirstDate(sentence));

    [Theory]
    [InlineData("Profits rose to $2014m.")]
    [InlineData("It sold 2014 million shares.")]
    [InlineData("Last year the firm grew 12%.")]
    [InlineData("The 2,014 passengers waited.")]
    public void A_number_that_is_no_year_dates_nothing(string sentence) =>
        Assert.Null(Timeline.FirstDate(sentence));

    [Fact]
    public async Task A_timeline_quotes_the_dated_sentences_earliest_first()
    {
        var engine = WiredEngine([Hack]);

        var answer = await engine.AskAsync(new Question("give me a timeline"));

        Assert.True(answer.Answered);
        Assert.Equal(
            "Timeline of “Israel hacked Kaspersky”, by the years it names:\n" +
            "• 2014: “The operation began in 2014, the newspaper said.” [1]\n" +
            "• 2015: “Kaspersky discovered the hack in 2015.” [2]\n" +
            "• October 2017: “In October 2017, US media outlets reported the Israeli tip-off.” [3]",
            answer.Text);
        Assert.All(answer.Citations, c => Assert.Equal(Hack.Slice(c.Start, c.End), c.Quote));
    }

    [Fact]
    public async Task An_article_naming_no_year_says_so_and_with_several_loaded_the_bot_asks_which()
    {
        var one = WiredEngine([QuietStorm]);
        var several = WiredEngine([Hack, QuietStorm]);

        var undated = await one.AskAsync(new Question("give me a timeline"));
        var which = await several.AskAsync(new Question("give me a timeline", ConversationId: "c"));
        var picked = await several.AskAsync(new Question("hack", ConversationId: "c"));

        Assert.False(undated.Answered);
        Assert.Equal("“Storm closes the harbour” gives no dates to order its events by.", undated.Text);
        Assert.False(which.Answered);
        Assert.Contains("which one?", which.Text, StringComparison.Ordinal);
        Assert.StartsWith("Timeline of “Israel hacked Kaspersky”", picked.Text, StringComparison.Ordinal);
    }
}
