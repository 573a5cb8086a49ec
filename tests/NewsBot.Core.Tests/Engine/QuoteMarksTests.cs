using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class QuoteMarksTests
{
    [Theory]
    [InlineData("He must decline.", "“He must decline.”")]
    [InlineData("“We must decline your kind invitation.”", "‘“We must decline your kind invitation.”’")]
    [InlineData("He wrote: “we must decline your kind invitation.”", "‘He wrote: “we must decline your kind invitation.”’")]
    [InlineData("“We must decline,” the office said.", "‘“We must decline,” the office said.’")]
    [InlineData("He called it \"regrettable\" today.", "‘He called it \"regrettable\" today.’")]
    [InlineData("It’s final.", "“It’s final.”")]
    [InlineData("“Fine,” he said of the ‘offer’", "““Fine,” he said of the ‘offer’”")] // marks of both kinds at the edges: nothing alternates
    public void A_quote_is_wrapped_in_marks_that_alternate_with_its_own(string quote, string wrapped)
    {
        Assert.Equal(wrapped, QuoteMarks.Wrap(quote));
        Assert.Equal(quote, wrapped[1..^1]);
    }

    [Fact]
    public async Task An_answer_quoting_a_sentence_that_ends_in_a_quotation_mark_does_not_double_it()
    {
        const string sentence = "The office wrote: “Regrettably, he must decline your kind invitation.”";
        var article = Article("pmo", "Netanyahu declines Kaspersky meeting",
            ["The prime minister turned down a request from the Kaspersky chief."], [sentence]);

        var answer = await Answerer(article, 4, Unit(4, 1)).AnswerAsync(new Question("Why did he decline the invitation?"));

        Assert.Equal(sentence, answer.Citations[0].Quote);
        Assert.DoesNotContain("””", answer.Text, StringComparison.Ordinal);
        Assert.Contains($"‘{sentence}’ [1]", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_splits_where_it_quotes_its_citations_marks_and_markers_included()
    {
        var first = new Citation(1, "pmo", "T", 9, "He said: “we must decline.”", 0, 27);
        var second = new Citation(2, "pmo", "T", 2, "Davos opens on Tuesday.", 30, 53);
        var uncited = new Citation(3, "pmo", "T", 4, "Not in the wording.", 60, 79);
        var text = $"400 million. {QuoteMarks.Wrap(first.Quote)} [1] Also: {QuoteMarks.Wrap(second.Quote)} [2]";

        var parts = ChatText.SplitAtQuotes(text, [first, second, uncited]);

        Assert.Equal(["400 million. ", $"‘{first.Quote}’ [1]", " Also: ", $"“{second.Quote}” [2]"], parts.Select(p => p.Text));
        Assert.Equal([null, first, null, second], parts.Select(p => p.Quoted));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
        Assert.True(ChatText.ShowsQuote(text, first));
        Assert.False(ChatText.ShowsQuote(text, uncited));
    }
}
