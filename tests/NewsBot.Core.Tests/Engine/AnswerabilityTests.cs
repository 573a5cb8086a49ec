using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class AnswerabilityTests
{
    private const int Dims = 4;

    private static readonly Article Story = Article("pmo", "Netanyahu declines Kaspersky meeting",
        [(ParagraphKind.Dek, ["PMO says the premier must decline the Davos request"]),
         (ParagraphKind.Body, ["The prime minister turned down a request from the Kaspersky chief at the Super Bowl."]),
         (ParagraphKind.Body, ["The office said the heavy demands of his schedule meant he must decline."]),
         (ParagraphKind.Body, ["Kaspersky Lab has 400 million users worldwide, the company said."])]);

    private static ExtractiveAnswerer Answerer(float[] queryVector, AnsweringOptions? options = null) =>
        EngineTestData.Answerer(Story, Dims, queryVector, options);

    [Fact]
    public void Names_no_article_mentions_are_unknown_but_acronyms_and_run_together_words_are_not()
    {
        var snapshot = Snapshot(Dims, Indexed(Story, [.. Story.Sentences.Select(_ => Unit(Dims, 0))]));

        Assert.Equal(["Microsoft"], snapshot.UnknownNames("Did the Kaspersky chief meet Microsoft?"));
        Assert.Empty(snapshot.UnknownNames("Microsoft asked nothing"));                  // the first word is capitalised anyway
        Assert.Empty(snapshot.UnknownNames("What did the NSA say about Kaspersky?"));     // an acronym may be spelled out
        Assert.Empty(snapshot.UnknownNames("Where was the Superbowl request made?"));     // "Super Bowl" in the text
    }

    [Fact]
    public void Run_together_names_are_found_past_accents_and_across_articles()
    {
        var second = Article("cafe", "A new owner for the corner café", [(ParagraphKind.Body, ["The Café Noir bar in Zürich changed hands on Monday."])]);
        var snapshot = Snapshot(Dims,
            Indexed(Story, [.. Story.Sentences.Select(_ => Unit(Dims, 0))]),
            Indexed(second, [.. second.Sentences.Select(_ => Unit(Dims, 1))]));

        Assert.Empty(snapshot.UnknownNames("Who bought the CaféNoir bar?"));
        Assert.Empty(snapshot.UnknownNames("Did the Superbowl chief buy it?"));
        Assert.Equal(["Zurich"], snapshot.UnknownNames("Is the bar in Zurich?"));  // letters are compared as written
        Assert.Equal(["Rouge"], snapshot.UnknownNames("Who bought the Café Rouge?"));
    }

    [Fact]
    public async Task A_question_about_a_name_the_articles_never_mention_is_refused_and_says_so()
    {
        var answer = await Answerer(Unit(Dims, 2)).AnswerAsync(new Question("Why did the office decline Microsoft?"));

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
        Assert.Contains("nothing mentions Microsoft", answer.Text, StringComparison.Ordinal);

        var lenient = await Answerer(Unit(Dims, 2), new AnsweringOptions { RefuseUnknownNames = false })
            .AnswerAsync(new Question("Why did the office decline Microsoft?"));
        Assert.True(lenient.Answered);
    }

    [Fact]
    public void A_close_runner_up_that_holds_the_question_answers_when_the_best_sentence_does_not()
    {
        var answerer = Answerer(Unit(Dims, 0));
        SentenceCandidate Candidate(int sentence, double score, double coverage, double dense = 0.7) =>
            new(Story, Story.Sentences[sentence], score, 1, dense, 1, coverage, null);

        Assert.Equal(Story.Sentences[3], answerer.Choose([Candidate(2, 3.0, 0.1), Candidate(3, 2.7, 0.6)])[0].Sentence);
        Assert.Empty(answerer.Choose([Candidate(2, 3.0, 0.1), Candidate(3, 2.0, 0.6)]));
        Assert.Empty(answerer.Choose([Candidate(2, 3.0, 0.1), Candidate(3, 2.7, 0.6, dense: 0.6)]));
    }

    [Fact]
    public void What_someone_said_is_quoted_only_from_sentences_reporting_their_words()
    {
        var answerer = Answerer(Unit(Dims, 0));
        SentenceCandidate Candidate(int sentence, double score, bool? quotesSpeaker) =>
            new(Story, Story.Sentences[sentence], score, 1, 1, 1, 1, null, QuotesSpeaker: quotesSpeaker);

        Assert.Equal(Story.Sentences[3], answerer.Choose([Candidate(2, 3.0, false), Candidate(3, 2.7, true)])[0].Sentence);
        Assert.Empty(answerer.Choose([Candidate(2, 3.0, false), Candidate(3, 2.7, false)]));
        var lenient = Answerer(Unit(Dims, 0), new AnsweringOptions { RequireSpeaker = false });
        Assert.Equal(Story.Sentences[2], lenient.Choose([Candidate(2, 3.0, false), Candidate(3, 2.7, false)])[0].Sentence);
    }

    [Fact]
    public async Task What_the_article_is_about_is_answered_with_its_subtitle_and_lead()
    {
        var answer = await Answerer(Unit(Dims, 3)).AnswerAsync(new Question("What is this article about?"));

        Assert.True(answer.Answered);
        Assert.Equal([Story.Sentences[0].Text, Story.Sentences[1].Text], answer.Citations.Select(c => c.Quote));
    }

    [Theory]
    [InlineData("Who contributed to this report?", true)]
    [InlineData("Who wrote this article?", true)]
    [InlineData("Who turned down the request?", false)]
    public void Author_questions_are_recognised(string question, bool author) =>
        Assert.Equal(author, QuestionAnalysis.Of(question).AsksForAuthor);
}
