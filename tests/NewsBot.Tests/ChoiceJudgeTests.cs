using NewsBot.Answering;
using NewsBot.Host.Evaluation;

namespace NewsBot.Tests;

/// <summary>The multiple-choice judge behind <c>eval</c>'s choice accuracy on QuAIL-style sets.</summary>
public class ChoiceJudgeTests
{
    private static readonly string[] Options = ["Visas", "not enough information", "deferred action for childhood arrivals", "Citizenship"];

    private static EvalQuestion Asking(int correct, params string[] choices) =>
        new("q", "What policy are the demonstrators supporting?", true, [], [], "ctx") { Choices = choices, CorrectChoice = correct };

    private static Answer Quoting(params string[] quotes) =>
        new("q", quotes.Length > 0, "…", [.. quotes.Select((q, i) => new Citation(i + 1, "ctx", "DACA", 1, q, 0, q.Length))]);

    [Fact]
    public void An_answer_picks_the_option_whose_words_its_quotes_hold()
    {
        var answer = Quoting("Berenice Davila, a 19-year-old Deferred Action for Childhood Arrivals (DACA) recipient from Texas, told VOA.");

        Assert.Equal(1, ChoiceJudge.Credit(Asking(2, Options), answer));
        Assert.Equal(0, ChoiceJudge.Credit(Asking(0, Options), answer));
    }

    [Fact]
    public void A_refusal_picks_not_enough_information_whether_refused_or_rejected()
    {
        Assert.Equal(1, ChoiceJudge.Credit(Asking(1, Options), Quoting()));
        Assert.Equal(1, ChoiceJudge.Credit(Asking(1, Options), null));
        Assert.Equal(0, ChoiceJudge.Credit(Asking(2, Options), Quoting()));
        Assert.Equal(0, ChoiceJudge.Credit(Asking(0, "Visas", "Citizenship"), Quoting()));
    }

    [Fact]
    public void An_answer_never_picks_not_enough_information()
    {
        var answer = Quoting("There was not enough information in the briefing, officials said.");

        Assert.Equal(0, ChoiceJudge.Credit(Asking(1, Options), answer));
    }

    [Fact]
    public void Options_tied_for_the_most_share_the_credit()
    {
        var budget = Quoting("The Senate's two-year budget deal kicked the immigration debate into next week.");

        Assert.Equal(0.5, ChoiceJudge.Credit(Asking(0, "the Senate", "the budget", "the House"), budget));
        Assert.Equal(0.5, ChoiceJudge.Credit(Asking(1, "the Senate", "the budget", "the House"), budget));
        Assert.Equal(0, ChoiceJudge.Credit(Asking(2, "the Senate", "the budget", "the House"), budget));
    }

    [Fact]
    public void A_reply_holding_no_options_words_earns_nothing()
    {
        var unrelated = Quoting("The Senate's two-year budget deal kicked the immigration debate into next week.");

        Assert.Equal(0, ChoiceJudge.Credit(Asking(3, Options), unrelated));
        Assert.Equal(0, ChoiceJudge.Credit(Asking(0, Options), unrelated));
    }

    [Fact]
    public void A_question_without_choices_gets_no_credit_at_all()
    {
        Assert.Null(ChoiceJudge.Credit(new EvalQuestion("q", "Who?", true, ["Rollo"], [], "ctx"), Quoting("Rollo led them.")));
        Assert.Null(ChoiceJudge.Credit(Asking(7, Options), Quoting("Rollo led them.")));
    }

    [Fact]
    public void Content_words_drop_function_words_possessives_and_plurals()
    {
        Assert.Equal(["sanction", "myanmar", "military"], ChoiceJudge.ContentWords("The sanctions on Myanmar’s military"));
        Assert.Equal(["congress", "address"], ChoiceJudge.ContentWords("Congress's address"));
    }

    [Fact]
    public void An_eval_set_reads_its_choices_and_the_metrics_report_the_judges_accuracy()
    {
        var folder = Directory.CreateTempSubdirectory("newsbot-choices-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "questions.jsonl"), """
                {"id": "a", "context_id": "c", "question": "What policy?", "answers": ["DACA"], "answer_start": [], "is_impossible": false, "choices": ["Visas", "not enough information", "DACA"], "correct_choice": 2}
                {"id": "b", "context_id": "c", "question": "How old?", "answers": [], "answer_start": [], "is_impossible": true, "choices": ["19", "not enough information"], "correct_choice": 1}
                """);
            File.WriteAllText(Path.Combine(folder, "contexts.jsonl"), """{"context_id": "c", "title": "DACA", "text": "DACA recipients rallied."}""");

            var set = EvalSet.Load(folder);
            Assert.Equal(["Visas", "not enough information", "DACA"], set.Questions[0].Choices);
            Assert.Equal(2, set.Questions[0].CorrectChoice);

            var answered = EvalScorer.Score(set.Questions[0], Quoting("DACA recipients rallied."), 1, true, _ => "DACA recipients rallied.");
            var refused = EvalScorer.Score(set.Questions[1], Quoting("DACA recipients rallied."), 1, true, _ => "DACA recipients rallied.");
            var metrics = EvalMetrics.Of("set", [answered, refused]);

            Assert.Equal(2, metrics.ChoiceQuestions);
            Assert.Equal(0.5, metrics.ChoiceAccuracy);
            Assert.Contains("choice accuracy       50.0 % (2 multiple-choice questions, lexical judge)", metrics.ToText(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Sets_without_choices_print_no_choice_line()
    {
        var outcome = EvalScorer.Score(new EvalQuestion("q", "Who?", true, ["Rollo"], [], "ctx"), Quoting("Rollo led them."), 1, true, _ => "Rollo led them.");

        Assert.Null(outcome.ChoiceCredit);
        Assert.DoesNotContain("choice accuracy", EvalMetrics.Of("set", [outcome]).ToText(), StringComparison.Ordinal);
    }
}
