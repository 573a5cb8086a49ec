using NewsBot.Answering;
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
}
