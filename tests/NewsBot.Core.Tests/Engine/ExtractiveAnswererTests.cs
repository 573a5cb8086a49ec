using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ExtractiveAnswererTests
{
    private const int Dims = 4;

    private static readonly Article Story = Article("pmo", "Netanyahu declines Kaspersky meeting",
        ["The prime minister turned down a request from the Kaspersky chief."],
        ["The office said the heavy demands of his schedule meant he must decline."],
        ["Kaspersky Lab has 400 million users worldwide."]);

    private static ExtractiveAnswerer Answerer(float[] queryVector, AnsweringOptions? options = null, Article? article = null) =>
        EngineTestData.Answerer(article ?? Story, Dims, queryVector, options);

    [Fact]
    public async Task The_answering_sentence_is_quoted_exactly_with_its_offsets()
    {
        var answer = await Answerer(Unit(Dims, 1)).AnswerAsync(new Question("Why did the office decline the meeting?"));

        Assert.True(answer.Answered);
        var first = answer.Citations[0];
        Assert.Equal(Story.Sentences[1].Text, first.Quote);
        Assert.Equal(first.Quote, Story.Slice(first.Start, first.End));
        Assert.Equal((1, "pmo", Story.Title, 3), (first.Number, first.SourceId, first.Title, first.Paragraph));
        Assert.Contains($"“{first.Quote}” [1]", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_the_article_does_not_cover_is_refused_without_citations()
    {
        var answer = await Answerer(Unit(Dims, 3)).AnswerAsync(new Question("Who won the 2018 World Cup?"));

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
        Assert.StartsWith("The article doesn't say", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Who won the 2018 World Cup?", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_coverage_threshold_decides_between_answer_and_refusal()
    {
        // "football" is nowhere in the article, so the best sentence covers part of the question only.
        var question = new Question("Why did the office decline the football meeting?");

        Assert.True((await Answerer(Unit(Dims, 1)).AnswerAsync(question)).Answered);
        var strict = await Answerer(Unit(Dims, 1), new AnsweringOptions { MinCoverage = 0.99 }).AnswerAsync(question);
        Assert.False(strict.Answered);
        Assert.Empty(strict.Citations);
    }

    [Fact]
    public async Task The_score_threshold_decides_between_answer_and_refusal()
    {
        var question = new Question("Why did the office decline the meeting?");

        var strict = await Answerer(Unit(Dims, 1), new AnsweringOptions { MinScore = 9.0 }).AnswerAsync(question);

        Assert.False(strict.Answered);
        Assert.Empty(strict.Citations);
    }

    [Fact]
    public void A_second_citation_must_be_close_behind_and_say_something_else()
    {
        var answerer = Answerer(Unit(Dims, 1));
        SentenceCandidate Candidate(int sentence, double score) =>
            new(Story, Story.Sentences[sentence], score, 1, 1, 1, 1, null);
        var repeat = Candidate(1, 2.85) with { Sentence = Story.Sentences[1] with { Index = 7 } };

        var chosen = answerer.Choose([Candidate(1, 3.0), repeat, Candidate(0, 2.7)]);
        Assert.Equal([1, 0], chosen.Select(c => c.Sentence.Index));

        Assert.Single(answerer.Choose([Candidate(1, 3.0), Candidate(0, 1.5)]));
    }

    [Fact]
    public async Task An_author_question_cites_the_byline()
    {
        var article = Article("bylined", "Budget passes",
            [(ParagraphKind.Byline, ["By Jane Doe"]), (ParagraphKind.Body, ["The council approved the budget."])]);

        var answerer = Answerer(Unit(Dims, 0), article: article);

        foreach (var question in (string[])["Who wrote the article?", "who published it?", "What newspaper is this article from?"])
        {
            var answer = await answerer.AnswerAsync(new Question(question));
            Assert.True(answer.Answered, question);
            Assert.Equal("By Jane Doe", Assert.Single(answer.Citations).Quote);
        }

        Assert.False(QuestionAnalysis.Of("Who published the book?").AsksForAuthor);
    }

    [Theory]
    [InlineData("What's the headline?")]
    [InlineData("what is the title of the article?")]
    [InlineData("What is this story called?")]
    [InlineData("headline?")]
    public async Task A_headline_question_quotes_the_title(string question)
    {
        var article = Article("budget", "Budget passes after all-night session", ["The council approved the budget."]);

        var answer = await Answerer(Unit(Dims, 0), article: article).AnswerAsync(new Question(question));

        Assert.True(answer.Answered);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal((article.Title, 1, 0), (citation.Quote, citation.Paragraph, citation.Start));
        Assert.Equal("The headline: “Budget passes after all-night session” [1]", answer.Text);
    }

    [Theory]
    [InlineData("When was the article published?")]
    [InlineData("when was it written?")]
    [InlineData("What's the date of the story?")]
    [InlineData("publication date?")]
    [InlineData("When did this piece come out?")]
    public async Task A_question_about_the_articles_date_quotes_its_date_line_and_the_byline_no_longer_does(string question)
    {
        var article = Article("dated", "Budget passes",
            [(ParagraphKind.Byline, ["By Jane Doe"]), (ParagraphKind.Byline, ["Published March 3, 2024 10:15 am"]), (ParagraphKind.Body, ["The council approved the budget in 2023."])]);
        var answerer = Answerer(Unit(Dims, 0), article: article);

        var answer = await answerer.AnswerAsync(new Question(question));
        var byline = await answerer.AnswerAsync(new Question("Who wrote the article?"));

        Assert.True(QuestionAnalysis.Of(question).AsksForDate);
        Assert.Equal("The article's date line: “Published March 3, 2024 10:15 am” [1]", answer.Text);
        Assert.Equal(article.Slice(answer.Citations[0].Start, answer.Citations[0].End), answer.Citations[0].Quote);
        Assert.Equal("By Jane Doe", Assert.Single(byline.Citations).Quote);
    }

    [Theory]
    [InlineData("How long is the article?")]
    [InlineData("word count?")]
    [InlineData("how many words are in it?")]
    [InlineData("How long does it take to read?")]
    [InlineData("how many paragraphs does the story have?")]
    [InlineData("what's the reading time?")]
    public async Task A_question_about_the_articles_length_counts_its_body_not_its_headline_byline_or_captions(string question)
    {
        var article = Article("long", "Budget passes after all-night session",
        [
            (ParagraphKind.Byline, ["By Jane Doe"]),
            (ParagraphKind.Body, ["The council approved the budget\u00a0in 2023.", "It ran all night."]),
            (ParagraphKind.Caption, ["Council members vote on Tuesday."]),
            (ParagraphKind.Body, [string.Join(' ', Enumerable.Repeat("word", 500)) + "."]),
        ]);

        var answer = await Answerer(Unit(Dims, 0), article: article).AnswerAsync(new Question(question));

        Assert.True(QuestionAnalysis.AsksAboutTheWholeArticle(question) && QuestionAnalysis.Of(question).AsksForLength);
        Assert.Equal("“Budget passes after all-night session” is 511 words in 2 paragraphs, about 2 minutes to read.", answer.Text);
        Assert.True(answer.Answered);
        Assert.Empty(answer.Citations);
    }

    [Theory]
    [InlineData("How long is the ban?")]
    [InlineData("how long is it?")]
    [InlineData("How many words did Kaspersky write?")]
    [InlineData("How long did it take to read the code?")]
    [InlineData("What is the length of the runway?")]
    public void A_question_about_some_other_length_is_for_the_text(string question) =>
        Assert.False(QuestionAnalysis.Of(question).AsksForLength);

    [Fact]
    public async Task An_article_without_a_date_line_is_said_to_give_no_date_rather_than_quoting_some_year()
    {
        var article = Article("budget", "Budget passes", ["The council approved the budget in 2023."]);

        var answer = await Answerer(Unit(Dims, 0), article: article).AnswerAsync(new Question("When was the article published?"));

        Assert.False(answer.Answered);
        Assert.Equal("“Budget passes” doesn't give its publication date.", answer.Text);
    }

    [Theory]
    [InlineData("When was the report published?")]
    [InlineData("When was the budget published?")]
    [InlineData("What date did the council vote?")]
    public void A_question_about_some_other_date_is_not_about_the_articles(string question) =>
        Assert.False(QuestionAnalysis.Of(question).AsksForDate);

    [Theory]
    [InlineData("What is the title of his book?")]
    [InlineData("What title did the council give the budget?")]
    [InlineData("What was the headline of the Times report?")]
    public void A_question_about_some_other_title_is_not_a_headline_question(string question) =>
        Assert.False(QuestionAnalysis.Of(question).AsksForHeadline);

    [Fact]
    public async Task A_story_whose_title_was_made_of_its_opening_words_has_no_headline()
    {
        const string story = "The council approved the budget after a session that ran through the night and into the morning.";
        var article = Article("budget", "The council approved the budget after a session that ran through the night and …", [story]);

        var answer = await Answerer(Unit(Dims, 0), article: article).AnswerAsync(new Question("what's the headline?"));

        Assert.False(answer.Answered);
        Assert.Equal("The article has no headline.", answer.Text);
    }

    [Fact]
    public async Task An_author_question_without_a_byline_is_refused()
    {
        var answer = await Answerer(Unit(Dims, 0)).AnswerAsync(new Question("Who wrote the article?"));

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
        Assert.Contains("doesn't name its author", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_articles_loaded_the_refusal_says_so()
    {
        var answerer = new ExtractiveAnswerer(new CurrentIndex(), Retriever(), Options.Create(new AnsweringOptions()));

        var answer = await answerer.AnswerAsync(new Question("Why did the office decline the meeting?"));

        Assert.False(answer.Answered);
        Assert.StartsWith("No articles are loaded yet", answer.Text, StringComparison.Ordinal);
    }
}
