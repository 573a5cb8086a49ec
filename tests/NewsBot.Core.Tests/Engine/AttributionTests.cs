using NewsBot.Retrieval;

namespace NewsBot.Core.Tests.Engine;

public class AttributionTests
{
    [Theory]
    [InlineData("What did Putin say about the ban?", "Putin")]
    [InlineData("What did the PMO say?", "the PMO")]
    [InlineData("How did Kaspersky Lab respond?", "Kaspersky Lab")]
    [InlineData("what does his lawyer think about it", "his lawyer")]
    [InlineData("What did the firm build in Jerusalem?", null)]
    [InlineData("Why did the PMO decline the meeting?", null)]
    [InlineData("What does the article say about the NSA?", null)]
    [InlineData("what did the story say about Davos", null)]
    [InlineData("What does it say about Israel?", null)]
    [InlineData("What did the author write about Putin?", null)]
    [InlineData("What did the report say?", "the report")]
    [InlineData("What did the source say about the hack?", "the source")]
    // The bot asked for its view is no speaker; asked what it said, it is one that the article never quotes.
    [InlineData("What do you think about the ban?", null)]
    [InlineData("what do u think of Kaspersky", null)]
    [InlineData("What did you say?", "you")]
    public void The_speaker_is_whoever_a_what_did_X_say_question_names(string question, string? speaker)
    {
        Assert.Equal(speaker, Attribution.SpeakerOf(question));
    }

    [Theory]
    [InlineData("Putin", "His critics say the firm is not independent under President Vladimir Putin.", null, false)]
    [InlineData("Putin", "Putin said the ban was unfair.", null, true)]
    [InlineData("Putin", "The ban was unfair, said President Vladimir Putin.", null, true)]
    [InlineData("Netanyahu", "But responding on behalf of Netanyahu, the PMO said that the meeting was off.", null, true)]
    [InlineData("the PMO", "Citing schedule restraints, Prime Minister’s Office says premier ‘must decline’ the request.", null, true)]
    [InlineData("Kaspersky", "“I would be honored to meet you,” he wrote.", "In a message, Eugene Kaspersky offered to meet Netanyahu in Davos.", true)]
    [InlineData("Netanyahu", "“I would be honored to meet you,” he wrote.", "In a message, Eugene Kaspersky offered to meet Netanyahu in Davos.", false)]
    [InlineData("Kaspersky", "The office says premier ‘must decline’ Eugene Kaspersky’s request.", null, false)]
    [InlineData("the Israelis", "Sources said the Israeli officials provided evidence.", null, true)]
    [InlineData("the mayor", "“We will rebuild the bridge by spring,” said the mayor.", null, true)]
    [InlineData("the mayor", "The bridge will reopen in spring, according to the mayor of the city, who visited on Monday.", null, true)]
    [InlineData("the general", "The troops will stay, said the retired general.", null, true)]
    [InlineData("the spokeswoman", "The talks failed, said a spokeswoman for the ministry.", null, true)]
    [InlineData("the company", "The analyst said the company expected growth.", null, false)]
    [InlineData("the company", "The analyst said the company would grow.", null, false)]
    [InlineData("the mayor", "The governor said the mayor had resigned.", null, false)]
    public void A_sentence_reports_the_speaker_only_when_the_speaker_is_the_one_saying(string speaker, string sentence, string? previous, bool attributed)
    {
        Assert.Equal(attributed, Attribution.Attributes(QuestionAnalysis.Of(speaker), sentence, previous));
    }
}
