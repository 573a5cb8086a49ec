using NewsBot.Answering;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class QuoteLocatorTests
{
    private const string Text = "The PMO said that “regrettably, due to the heavy demands of his schedule, he must decline.” It’s final.";

    [Fact]
    public void Straight_quotes_find_curly_ones_and_the_span_is_the_source_text()
    {
        Assert.True(QuoteLocator.TryLocate(Text, "\"regrettably, due to the heavy demands", out var start, out var end));

        Assert.Equal("“regrettably, due to the heavy demands", Text[start..end]);
    }

    [Fact]
    public void A_straight_apostrophe_finds_a_curly_one()
    {
        Assert.True(QuoteLocator.TryLocate(Text, "It's final.", out var start, out var end));
        Assert.Equal("It’s final.", Text[start..end]);
    }

    [Fact]
    public void Runs_of_whitespace_and_non_breaking_spaces_fold()
    {
        const string source = "heavy  demands\u00A0of his\n\nschedule";

        Assert.True(QuoteLocator.TryLocate(source, " heavy demands of\u00A0his   schedule ", out var start, out var end));
        Assert.Equal(0, start);
        Assert.Equal(source.Length, end);
    }

    [Fact]
    public void A_quote_that_is_not_there_is_not_found()
    {
        Assert.False(QuoteLocator.TryLocate(Text, "he must accept", out var start, out var end));
        Assert.Equal(-1, start);
        Assert.Equal(-1, end);
        Assert.False(QuoteLocator.Contains(Text, "   "));
    }

    [Fact]
    public void Search_can_start_after_an_earlier_occurrence()
    {
        const string source = "He said no. Later he said no again.";

        Assert.True(QuoteLocator.TryLocate(source, "said no", out var first, out _));
        Assert.True(QuoteLocator.TryLocate(source, "said no", out var second, out _, searchFrom: first + 1));
        Assert.True(second > first);
        Assert.Equal("said no", source[second..(second + 7)]);
    }
}

public class CitationVerifierTests
{
    private static readonly Article Source = Article("a", "Schedule", ["The premier must decline your kind invitation."], ["He is in Davos."]);
    private static readonly Retrieval.IndexSnapshot Catalog = Snapshot(1, Indexed(Source, [[1f], [1f]]));

    private static Citation CiteSentence(int index)
    {
        var s = Source.Sentences[index];
        return new Citation(1, Source.Id, Source.Title, s.Paragraph, s.Text, s.Start, s.End);
    }

    [Fact]
    public void Verbatim_quotes_pass()
    {
        CitationVerifier.EnsureVerbatim([CiteSentence(0), CiteSentence(1) with { Number = 2 }], Catalog);
    }

    [Fact]
    public void An_altered_quote_is_rejected()
    {
        var altered = CiteSentence(0) with { Quote = "The premier must accept your kind invitation." };

        var e = Assert.Throws<InvalidOperationException>(() => CitationVerifier.EnsureVerbatim([altered], Catalog));
        Assert.Contains("not verbatim", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curly_quote_where_the_source_has_none_is_rejected()
    {
        var c = CiteSentence(1);
        Assert.Throws<InvalidOperationException>(() => CitationVerifier.EnsureVerbatim([c with { Quote = c.Quote.Replace("He", "“He", StringComparison.Ordinal) }], Catalog));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, 10_000)]
    public void Shifted_or_impossible_offsets_are_rejected(int startShift, int endShift)
    {
        var c = CiteSentence(0);
        var moved = c with { Start = c.Start + startShift, End = c.End + startShift + endShift };

        Assert.Throws<InvalidOperationException>(() => CitationVerifier.EnsureVerbatim([moved], Catalog));
    }

    [Fact]
    public void An_unknown_source_is_rejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => CitationVerifier.EnsureVerbatim([CiteSentence(0) with { SourceId = "nope" }], Catalog));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }
}
