using NewsBot.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

public class SentenceSegmenterTests
{
    private static readonly SentenceSegmenter Segmenter = new();

    private static string[] Split(string paragraph)
    {
        var spans = Segmenter.Split(paragraph);
        return spans.Select(s => paragraph[s.Start..s.End]).ToArray();
    }

    [Theory]
    [InlineData("Mr. Smith met Mrs. Jones and Dr. Brown at St. Mary’s on Jan. 5 and Feb. 9. They talked.", "Mr. Smith met Mrs. Jones and Dr. Brown at St. Mary’s on Jan. 5 and Feb. 9.|They talked.")]
    [InlineData("Gen. Mark Milley, Sen. Ann Lee and Rep. Tom Ray spoke. Then they left.", "Gen. Mark Milley, Sen. Ann Lee and Rep. Tom Ray spoke.|Then they left.")]
    [InlineData("Acme Inc. and Beta Ltd. merged with Gamma Corp. and Delta Co. on Monday. Shares rose.", "Acme Inc. and Beta Ltd. merged with Gamma Corp. and Delta Co. on Monday.|Shares rose.")]
    [InlineData("It was Apple vs. Samsung, apples, pears, etc. in court. He won.", "It was Apple vs. Samsung, apples, pears, etc. in court.|He won.")]
    [InlineData("Some fruits, e.g. apples, and some nuts, i.e. almonds, were sold. No. 10 was closed.", "Some fruits, e.g. apples, and some nuts, i.e. almonds, were sold.|No. 10 was closed.")]
    [InlineData("He sold the company, Acme Inc. The buyer paid cash.", "He sold the company, Acme Inc.|The buyer paid cash.")]
    public void Abbreviations_do_not_end_sentences(string paragraph, string expected) =>
        Assert.Equal(expected.Split('|'), Split(paragraph));

    [Theory]
    [InlineData("The book by J. R. R. Tolkien sold well. Critics agreed.", "The book by J. R. R. Tolkien sold well.|Critics agreed.")]
    [InlineData("U.S. President Joe Biden met U.N. Secretary-General António Guterres. They spoke for an hour.", "U.S. President Joe Biden met U.N. Secretary-General António Guterres.|They spoke for an hour.")]
    [InlineData("The attack was blamed on the U.S. The Kremlin denied involvement.", "The attack was blamed on the U.S.|The Kremlin denied involvement.")]
    [InlineData("He was born in Washington, D.C. and raised in Ohio.", "He was born in Washington, D.C. and raised in Ohio.")]
    [InlineData("The meeting starts at 9 a.m. on Tuesday.", "The meeting starts at 9 a.m. on Tuesday.")]
    public void Initials_and_acronyms_are_handled(string paragraph, string expected) =>
        Assert.Equal(expected.Split('|'), Split(paragraph));

    [Theory]
    [InlineData("Duqu 2.0 hit 400 million users and cost $3.5 billion. Experts were surprised.", "Duqu 2.0 hit 400 million users and cost $3.5 billion.|Experts were surprised.")]
    [InlineData("Growth was 2.5% in 2017. In 2018 it slowed.", "Growth was 2.5% in 2017.|In 2018 it slowed.")]
    [InlineData("1. Preheat the oven.", "1. Preheat the oven.")]
    public void Numbers_do_not_split(string paragraph, string expected) =>
        Assert.Equal(expected.Split('|'), Split(paragraph));

    [Theory]
    [InlineData("“We will win,” he said. “The vote is ours.” Then he left.", "“We will win,” he said.|“The vote is ours.”|Then he left.")]
    [InlineData("“Why now?” he asked. Nobody answered.", "“Why now?” he asked.|Nobody answered.")]
    [InlineData("“Stop!” she shouted. The car stopped.", "“Stop!” she shouted.|The car stopped.")]
    [InlineData("He said it was \"over.\" Then he left.", "He said it was \"over.\"|Then he left.")]
    [InlineData("Is it safe? Officials say yes! Residents disagree.", "Is it safe?|Officials say yes!|Residents disagree.")]
    [InlineData("The ruling (issued Friday.) Stands.", "The ruling (issued Friday.)|Stands.")]
    public void Quotations_and_questions(string paragraph, string expected) =>
        Assert.Equal(expected.Split('|'), Split(paragraph));

    [Theory]
    [InlineData("He paused… Then he spoke.", "He paused…|Then he spoke.")]
    [InlineData("He paused... Then he spoke.", "He paused...|Then he spoke.")]
    [InlineData("It was … well, complicated.", "It was … well, complicated.")]
    public void Ellipses(string paragraph, string expected) =>
        Assert.Equal(expected.Split('|'), Split(paragraph));

    [Theory]
    [InlineData("Netanyahu turns down meeting with Russian cybersecurity head linked to US hack")]
    [InlineData("Storm: what we know so far")]
    [InlineData("A")]
    public void A_headline_without_full_stop_is_one_sentence(string paragraph) =>
        Assert.Equal([paragraph], Split(paragraph));

    [Fact]
    public void Spans_are_trimmed_and_relative_to_the_paragraph()
    {
        const string Paragraph = "  First one.   Second one.  ";
        var spans = Segmenter.Split(Paragraph);
        Assert.Equal([new TextSpan(2, 12), new TextSpan(15, 26)], spans);
        Assert.Empty(Segmenter.Split("   "));
    }

    [Fact]
    public void Very_long_sentences_split_at_semicolons_or_colons_only()
    {
        var clause = string.Join(' ', Enumerable.Repeat("the committee reviewed the evidence", 6));
        var paragraph = $"First {clause}; second {clause}; third {clause}: fourth {clause}.";
        var sentences = Split(paragraph);
        Assert.True(sentences.Length > 1);
        Assert.All(sentences, s => Assert.True(s.Length <= SentenceSegmenter.DefaultLongSentence, $"{s.Length} chars"));
        Assert.Equal(paragraph, string.Join(' ', sentences));
        Assert.All(sentences.SkipLast(1), s => Assert.True(s.EndsWith(';') || s.EndsWith(':')));

        var unbroken = "Word " + string.Join(' ', Enumerable.Repeat("and another clause without any break", 20)) + ".";
        Assert.Equal([unbroken], Split(unbroken));
    }
}
