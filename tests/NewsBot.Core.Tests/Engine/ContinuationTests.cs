using NewsBot.Answering;
using NewsBot.Chat;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ContinuationTests
{
    private static readonly Sources.Article Story = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The office said he must decline.", "He will be in Davos from Tuesday."],
        ["Kaspersky Lab has 400 million users."]);

    [Theory]
    [InlineData("what did he say next?", true)]
    [InlineData("And then?", true)]
    [InlineData("go on", true)]
    [InlineData("what comes next", true)]
    [InlineData("What does she say next?", true)]
    [InlineData("and after that?", true)]
    [InlineData("Tell me more", true)]
    [InlineData("more please", true)]
    [InlineData("Tell me more about the ban", false)]
    [InlineData("What did the office say next about the meeting with Kaspersky and the forum?", false)]
    [InlineData("Why did he decline?", false)]
    public void Recognises_requests_to_continue(string question, bool continues) =>
        Assert.Equal(continues, Continuation.Asks(question));

    [Fact]
    public void Continues_with_the_sentences_after_the_last_quote_and_stops_at_the_end()
    {
        var index = Snapshot(4, Indexed(Story, [.. Story.Sentences.Select(_ => Unit(4, 0))]));
        var first = Story.Sentences[0];
        var turn = new ConversationTurn("Why?", "…", DateTimeOffset.UnixEpoch,
            [new Citation(1, Story.Id, Story.Title, first.Paragraph, first.Text, first.Start, first.End)]);

        var next = Continuation.After(index, turn)!;

        Assert.True(next.Answered);
        Assert.Equal([Story.Sentences[1].Text, Story.Sentences[2].Text], next.Citations.Select(c => c.Quote));
        CitationVerifier.EnsureVerbatim(next.Citations, index);

        var last = Story.Sentences[2];
        var end = Continuation.After(index, turn with { Citations = [new Citation(1, Story.Id, Story.Title, last.Paragraph, last.Text, last.Start, last.End)] })!;
        Assert.False(end.Answered);
        Assert.Empty(end.Citations);
        Assert.Null(Continuation.After(index, turn with { Citations = null }));
    }

    private static readonly Sources.Article Long = Article("long", "Netanyahu declines Kaspersky meeting",
        ["The office said he must decline.", "He will be in Davos from Tuesday.", "The forum opens on Wednesday."],
        ["Kaspersky Lab has 400 million users.", "Its founder met officials in 2017.", "The company denies the claims."]);

    private static Citation Cite(int number, int sentence)
    {
        var s = Long.Sentences[sentence];
        return new Citation(number, Long.Id, Long.Title, s.Paragraph, s.Text, s.Start, s.End);
    }

    [Fact]
    public void Reading_on_follows_the_first_quote_not_a_later_second_one()
    {
        var index = Snapshot(4, Indexed(Long, [.. Long.Sentences.Select(_ => Unit(4, 0))]));
        var turn = new ConversationTurn("Why did he decline?", "…", DateTimeOffset.UnixEpoch, [Cite(1, 0), Cite(2, 4)]);

        var next = Continuation.After(index, turn)!;

        Assert.Equal([Long.Sentences[1].Text, Long.Sentences[2].Text], next.Citations.Select(c => c.Quote));
    }

    [Fact]
    public void Reading_on_again_goes_past_both_sentences_just_read()
    {
        var index = Snapshot(4, Indexed(Long, [.. Long.Sentences.Select(_ => Unit(4, 0))]));
        var turn = new ConversationTurn("Why did he decline?", "…", DateTimeOffset.UnixEpoch, [Cite(1, 0)]);

        var first = Continuation.After(index, turn)!;
        var second = Continuation.After(index, turn with { Citations = first.Citations })!;

        Assert.Equal([Long.Sentences[3].Text, Long.Sentences[4].Text], second.Citations.Select(c => c.Quote));
    }
}
