using NewsBot.Generative.Grounding;

namespace NewsBot.Generative.Tests;

public sealed class DraftParserTests
{
    [Fact]
    public void Splits_sentences_and_keeps_markers_after_a_closing_quote_with_their_sentence()
    {
        var draft = DraftParser.Parse("He wrote: “I would be honored.” [2] Then he added “more” [3]. Done [1].");

        Assert.Equal(3, draft.Sentences.Count);
        Assert.Equal([SegmentKind.Text, SegmentKind.Quote, SegmentKind.Text, SegmentKind.Marker], draft.Sentences[0].Segments.Select(s => s.Kind));
        Assert.Equal("I would be honored.", draft.Sentences[0].Segments[1].Text);
        Assert.Equal([2], draft.Sentences[0].Segments[3].Numbers);
        Assert.Equal([3], draft.Sentences[1].Segments.Single(s => s.Kind == SegmentKind.Marker).Numbers);
    }

    [Fact]
    public void Marker_after_a_full_stop_belongs_to_the_sentence_before_it()
    {
        var draft = DraftParser.Parse("The office declined. [1] It cited the schedule [2].");

        Assert.Equal(2, draft.Sentences.Count);
        Assert.Equal([1], draft.Sentences[0].Segments[^1].Numbers);
    }

    [Fact]
    public void Reads_lists_of_numbers_and_straight_quotes()
    {
        var draft = DraftParser.Parse("It said \"must decline\" [1, 3; 4].");

        var sentence = Assert.Single(draft.Sentences);
        Assert.Equal("must decline", sentence.Segments.Single(s => s.Kind == SegmentKind.Quote).Text);
        Assert.Equal([1, 3, 4], sentence.Segments.Single(s => s.Kind == SegmentKind.Marker).Numbers);
    }

    [Theory]
    [InlineData("NOT_FOUND: The articles don’t say.", "The articles don’t say.")]
    [InlineData("**NOT FOUND** - nothing about it", "nothing about it")]
    [InlineData("```\nNOT_FOUND:\n```", "")]
    public void Recognises_the_not_found_reply(string reply, string why)
    {
        var draft = DraftParser.Parse(reply);

        Assert.True(draft.NotAnswered);
        Assert.Equal(why, draft.Explanation);
    }

    [Fact]
    public void Empty_reply_is_malformed() =>
        Assert.Throws<MalformedCompletionException>(() => DraftParser.Parse(" \n "));

    [Fact]
    public void Unclosed_quotation_mark_is_plain_text()
    {
        var draft = DraftParser.Parse("He said “never [1].");

        Assert.DoesNotContain(draft.Sentences.SelectMany(s => s.Segments), s => s.Kind == SegmentKind.Quote);
    }
}
