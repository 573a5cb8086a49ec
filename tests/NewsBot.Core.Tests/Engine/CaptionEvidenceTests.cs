using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NSubstitute;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

/// <summary>Photo captions as the evidence of last resort: what of a caption is read, which captions, and when one is quoted.</summary>
public class CaptionEvidenceTests
{
    private const string Sign = "A sign above the headquarters of Kaspersky Lab in Moscow, January 30, 2017.";

    private static readonly Article Story = Article("kl", "Netanyahu declines Kaspersky meeting",
    [
        (ParagraphKind.Body, ["The prime minister turned down a request from the Kaspersky chief.", "The office cited his schedule."]),
        (ParagraphKind.Caption, [Sign + " (AP/Pavel Golovkin)"]),
        (ParagraphKind.Body, ["Kaspersky Lab says some 400 million people use its software."]),
        (ParagraphKind.Caption, ["Eugene Kaspersky, CEO of Kaspersky Lab (Courtesy)"]),
    ]);

    [Theory]
    [InlineData(Sign + " (AP/Pavel Golovkin)", Sign)]
    [InlineData("Eugene Kaspersky, CEO of Kaspersky Lab (Courtesy)", "Eugene Kaspersky, CEO of Kaspersky Lab")]
    [InlineData("Firefighters at the scene on Monday. Photo by Jane Doe", "Firefighters at the scene on Monday.")]
    [InlineData("Pictured: the minister at the summit in Brussels (Reuters)", "the minister at the summit in Brussels")]
    [InlineData("Protesters march in Paris (2019)", "Protesters march in Paris (2019)")]
    [InlineData("Photo: Getty Images", "")]
    [InlineData("Photo: Jane Doe/AFP", "")]
    public void A_captions_description_leaves_out_its_label_and_its_credit(string caption, string description)
    {
        var span = LineRules.Description(caption);

        Assert.Equal(description, caption[span.Start..span.End]);
    }

    [Fact]
    public void The_captions_read_share_a_term_with_the_question_most_shared_first_and_are_exact_article_text()
    {
        var captions = CaptionEvidence.Candidates([Story], QuestionAnalysis.Of("Where are the headquarters of Kaspersky Lab?"));

        Assert.Equal([Sign, "Eugene Kaspersky, CEO of Kaspersky Lab"], captions.Select(c => c.Text));
        Assert.All(captions, c => Assert.Equal(ParagraphKind.Caption, Story.Paragraphs.Single(p => p.Number == c.Paragraph).Kind));
        Assert.All(captions, c => Assert.Equal(Story.Slice(c.Start, c.End), c.Text));
        Assert.Empty(CaptionEvidence.Candidates([Story], QuestionAnalysis.Of("Who won the World Cup final?")));
    }

    [Fact]
    public void At_most_the_cap_of_captions_is_read()
    {
        var many = Article("many", "A gallery", [.. Enumerable.Range(1, 10).Select(i => (ParagraphKind.Caption, new[] { $"The harbour seen from the north on day {i}. (Reuters)" }))]);

        Assert.Equal(CaptionEvidence.MaxRead, CaptionEvidence.Candidates([many], QuestionAnalysis.Of("What did the harbour look like?")).Count);
    }

    /// <summary>A reader that gives the sentences named here their probability (and short answer), and 0.01 to every other.</summary>
    private static IAnswerReader Reader(Dictionary<string, ReaderVerdict> verdicts) =>
        ScriptedReader(0.12, sentence => verdicts.GetValueOrDefault(sentence) ?? new ReaderVerdict(0.01, null));

    private static Task<Answer> Ask(IAnswerReader reader, string question, AnsweringOptions? options = null) =>
        Answerer(Story, 4, Unit(4, 0), options ?? new AnsweringOptions { MinCoverage = 0, MinScore = 0 }, reader).AnswerAsync(new Question(question));

    [Fact]
    public async Task When_the_prose_answers_nothing_a_caption_the_reader_is_sure_of_is_quoted_as_a_caption()
    {
        var moscow = Sign.IndexOf("Moscow", StringComparison.Ordinal);
        var answer = await Ask(Reader(new() { [Sign] = new(0.8, new SpanInSentence(moscow, moscow + "Moscow".Length, 0.9)) }), "Where is Kaspersky Lab based?");

        Assert.True(answer.Answered);
        var quote = Assert.Single(answer.Citations);
        Assert.Equal(Sign, quote.Quote);
        Assert.Equal(Story.Slice(quote.Start, quote.End), quote.Quote);
        Assert.Equal(3, quote.Paragraph);
        Assert.Equal($"Moscow. A photo caption says: “{Sign}” [1]", answer.Text);
        Assert.Equal("Moscow", Story.Slice(answer.ShortAnswer!.Start, answer.ShortAnswer.End));
    }

    [Theory]
    [InlineData(0.49, false)]
    [InlineData(0.50, true)]
    public async Task A_caption_needs_the_caption_probability_not_the_readers_threshold(double probability, bool answered)
    {
        var answer = await Ask(Reader(new() { [Sign] = new(probability, null) }), "When was Kaspersky Lab founded?");

        Assert.Equal(answered, answer.Answered);
        Assert.Equal(answered ? 1 : 0, answer.Citations.Count);
    }

    [Fact]
    public async Task A_caption_is_not_read_when_the_prose_answers_or_when_the_setting_is_one()
    {
        var sure = new ReaderVerdict(0.9, null);
        var reader = Reader(new() { [Sign] = sure, ["Kaspersky Lab says some 400 million people use its software."] = sure });

        var answered = await Ask(reader, "How many people use Kaspersky Lab software?");
        Assert.DoesNotContain("caption", answered.Text, StringComparison.Ordinal);
        await reader.Received(1).ReadAsync(Arg.Any<string>(), Arg.Any<IReadOnlyList<ReaderCandidate>>(), Arg.Any<CancellationToken>());

        var off = await Ask(Reader(new() { [Sign] = sure }), "Where is Kaspersky Lab based?", new AnsweringOptions { MinCoverage = 0, MinScore = 0, MinCaptionProbability = 1 });
        Assert.False(off.Answered);
    }

    [Fact]
    public async Task A_caption_answer_to_a_yes_or_no_question_does_not_lead_with_a_span()
    {
        var answer = await Ask(Reader(new() { [Sign] = new(0.8, new SpanInSentence(0, 6, 0.9)) }), "Is Kaspersky Lab in Moscow?");

        Assert.True(answer.Answered);
        Assert.Null(answer.ShortAnswer);
        Assert.StartsWith("A photo caption says: ", answer.Text, StringComparison.Ordinal);
    }
}
