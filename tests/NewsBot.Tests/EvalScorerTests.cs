using NewsBot.Answering;
using NewsBot.Host.Evaluation;
using NewsBot.Testing.Repository;

namespace NewsBot.Tests;

/// <summary>The shared eval README's rules, since every number in the closing notes rests on them.</summary>
public class EvalScorerTests
{
    private const string Context = "The Normans were the people who gave their name to Normandy. They were descended from Norse raiders. "
        + "Their leader was Rollo, who agreed to swear fealty to King Charles III of West Francia, and the duchy that grew from that agreement lasted for centuries afterwards.";

    private static Answer Quoting(params string[] quotes) =>
        new("q", quotes.Length > 0, "…", [.. quotes.Select((q, i) => new Citation(i + 1, "ctx", "Normans", 1, q, Context.IndexOf(q, StringComparison.Ordinal), Context.IndexOf(q, StringComparison.Ordinal) + q.Length))]);

    private static EvalOutcome Score(EvalQuestion question, Answer answer) =>
        EvalScorer.Score(question, answer, 1, caseInsensitive: true, id => id == "ctx" ? Context : null);

    private static EvalQuestion Who => new("w", "Who was the leader?", true, ["Rollo"], [Context.IndexOf("Rollo", StringComparison.Ordinal)], "ctx");

    [Fact]
    public void A_sentence_sized_quote_holding_the_answer_in_the_first_two_supports_it()
    {
        var sentence = Context[Context.IndexOf("Their leader", StringComparison.Ordinal)..];

        var first = Score(Who, Quoting(sentence));
        var second = Score(Who, Quoting("They were descended from Norse raiders.", sentence));
        var third = Score(Who, Quoting("They were descended from Norse raiders.", "The Normans were the people who gave their name to Normandy.", sentence));

        Assert.True(first.Supported && first.FirstCitationCorrect && first.Verbatim);
        Assert.True(second.Supported);
        Assert.False(second.FirstCitationCorrect);
        Assert.False(third.Supported);
    }

    [Fact]
    public void A_quote_much_longer_than_the_answers_sentence_does_not_count()
    {
        var shortSentenceQuestion = new EvalQuestion("n", "Who were descended from raiders?", true, ["Norse raiders"], [Context.IndexOf("Norse raiders", StringComparison.Ordinal)], "ctx");

        // The holding sentence is 39 characters, so a quote may be at most 1.5 × 39 + 30 = 88.5 characters.
        Assert.False(Score(shortSentenceQuestion, Quoting(Context)).Supported);
        Assert.False(Score(shortSentenceQuestion, Quoting("The Normans were the people who gave their name to Normandy. They were descended from Norse raiders.")).Supported);
        Assert.True(Score(shortSentenceQuestion, Quoting("They were descended from Norse raiders.")).Supported);
    }

    [Theory]
    [InlineData("Rollo", "Rollo", true)]
    [InlineData("Rollo", "Rollo the Walker", true)]
    [InlineData("their leader Rollo", "Rollo", true)]
    [InlineData("King Charles III of West Francia", "Rollo", false)]
    [InlineData("Norse raiders", "They were descended from Norse raiders", true)]
    [InlineData("the", "the duchy", false)]
    public void A_short_answer_is_right_when_it_overlaps_a_gold_answer_or_lies_inside_an_evidence_phrase(string shortAnswer, string gold, bool right) =>
        Assert.Equal(right, EvalScorer.Matches(shortAnswer, gold));

    [Fact]
    public void A_short_answer_is_scored_on_answerable_questions_only()
    {
        var sentence = Context[Context.IndexOf("Their leader", StringComparison.Ordinal)..];
        var start = Context.IndexOf("Rollo", StringComparison.Ordinal);
        var rollo = Quoting(sentence) with { ShortAnswer = new ShortAnswer("Rollo", start, start + 5) };
        var king = Quoting(sentence) with { ShortAnswer = new ShortAnswer("King Charles III", Context.IndexOf("King", StringComparison.Ordinal), Context.IndexOf("King", StringComparison.Ordinal) + 16) };

        Assert.True(Score(Who, rollo).ShortAnswerRight);
        Assert.False(Score(Who, king).ShortAnswerRight);
        Assert.False(Score(new EvalQuestion("u", "Who was the king of Spain?", false, [], [], "ctx"), rollo).ShortAnswerRight);
        var metrics = EvalMetrics.Of("set", [Score(Who, rollo), Score(Who, king), Score(Who, Quoting(sentence))]);
        Assert.Equal(2, metrics.ShortAnswers);
        Assert.Equal(0.5, metrics.ShortAnswerAccuracy);
    }

    [Fact]
    public void Refusal_counts_only_without_citations_and_quotes_must_be_verbatim()
    {
        var unanswerable = new EvalQuestion("u", "Who was the king of Spain?", false, [], [], "ctx");

        Assert.True(Score(unanswerable, new Answer("q", false, "The article doesn't say.", [])).Refused);
        Assert.False(Score(unanswerable, Quoting("They were descended from Norse raiders.")).Refused);
        Assert.False(Score(Who, Quoting("Their leader was Rollo the Great.")).Verbatim);
    }
}

/// <summary>The team's question sets about the seed article must stay gradeable: every evidence phrase is the article's text.</summary>
public class SeedQuestionSetTests
{
    [Theory]
    [InlineData("seed-article")]
    [InlineData("seed-article-blind")]
    [InlineData("seed-article-blind2")]
    [InlineData("seed-article-typos")]
    public void Every_evidence_phrase_is_in_the_seed_article_and_only_answerable_questions_have_one(string set)
    {
        var questions = EvalSet.Load(Path.Combine(RepositoryFiles.Root, "tests", "eval", set)).Questions;
        var article = EvalScorer.Fold(RepositoryFiles.SeedArticleText, caseInsensitive: false);

        Assert.NotEmpty(questions);
        Assert.Equal(questions.Count, questions.Select(q => q.Id).Distinct().Count());
        foreach (var question in questions)
        {
            Assert.Equal(question.Answerable, question.Gold.Count > 0);
            Assert.All(question.Gold, phrase => Assert.Contains(EvalScorer.Fold(phrase, caseInsensitive: false), article, StringComparison.Ordinal));
        }
    }
}
