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
    [InlineData("Who wrote it?", true)]
    [InlineData("Who's the reporter?", true)]
    [InlineData("Who is the author of this story?", true)]
    [InlineData("Byline?", true)]
    [InlineData("Who turned down the request?", false)]
    [InlineData("Who wrote the Virginia Statute for Religious Freedom?", false)]
    [InlineData("Who reported the fire to the police?", false)]
    [InlineData("Who is the author of the book?", false)]
    [InlineData("Who contributed to the idea that the mandolin was a fad?", false)]
    public void Author_questions_are_recognised(string question, bool author) =>
        Assert.Equal(author, QuestionAnalysis.Of(question).AsksForAuthor);

    [Theory]
    [InlineData("Did the company admit it took source code for an American hacking tool?", true)]
    [InlineData("Is it known whether the CEO himself took part in the hack?", true)]
    [InlineData("and does Kaspersky deny it?", true)]
    [InlineData("Wasn't the meeting in Davos?", true)]
    [InlineData("Can't Netanyahu meet him later?", true)]
    [InlineData("Was it the FSB or the GRU that ran the hackers?", false)]
    [InlineData("Why did the PMO decline the meeting?", false)]
    [InlineData("What did Kaspersky admit to taking?", false)]
    [InlineData("Island of Islay: is it in Scotland?", false)]
    public void A_yes_no_question_is_told_from_one_asking_for_a_thing(string question, bool yesNo) =>
        Assert.Equal(yesNo, QuestionAnalysis.Of(question).AsksYesNo);
}
