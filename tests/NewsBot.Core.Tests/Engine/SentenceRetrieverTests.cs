using NewsBot.Retrieval;
using NewsBot.Sources;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class SentenceRetrieverTests
{
    private const int Dims = 4;

    [Fact]
    public void Lexical_evidence_alone_surfaces_the_sentence_with_the_words()
    {
        var article = Article("a", "Local news",
            ["The council approved the new budget on Monday."],
            ["The mayor praised the volunteers at the harbour festival."],
            ["Rain is expected across the region this weekend."]);
        // Every sentence has the same vector and the query is orthogonal to it: dense similarity says nothing.
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 0), Unit(Dims, 0)]));

        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("What did the mayor say about the harbour festival volunteers?"), Unit(Dims, 3), null);

        Assert.Equal(1, ranked[0].Sentence.Index);
        Assert.Equal(1, ranked[0].Lexical, 3);
        Assert.Equal(0, ranked[0].Dense, 3);
        Assert.True(ranked[0].Coverage > ranked[1].Coverage);
    }

    [Fact]
    public void A_misspelt_word_still_finds_the_sentence_and_counts_as_held()
    {
        var article = Article("a", "Local news",
            ["The council approved the new budget on Monday."],
            ["The Kilauea volcano on Hawaii has been erupting since 1983."],
            ["Rain is expected across the region this weekend."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 0), Unit(Dims, 0)]));

        var typed = Retriever().Rank(index, QuestionAnalysis.Of("How long has the Hawaiin volcano Kilaeua been erupting?"), Unit(Dims, 3), null);
        var meant = Retriever().Rank(index, QuestionAnalysis.Of("How long has the Hawaii volcano Kilauea been erupting?"), Unit(Dims, 3), null);

        Assert.Equal(1, typed[0].Sentence.Index);
        Assert.Equal(meant[0].Coverage, typed[0].Coverage, 6);
        Assert.Equal(meant[0].Score, typed[0].Score, 6);
        Assert.True(typed[0].Coverage > 0.6);
    }

    [Fact]
    public void Respelling_leaves_known_terms_title_words_and_acronyms_as_typed()
    {
        var article = Article("a", "Zelenskyy visits Kyiv", ["The NATO summit opened in Vilnius on Tuesday."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0)]));
        var question = QuestionAnalysis.Of("Did Zelenskyy attend the NAOT summit in Vilnius?");

        var respelled = SentenceRetriever.Respelled(index, question);
        Assert.Equal(question.Terms, respelled.Terms);
        Assert.Empty(respelled.Respellings!);
        var misspelt = SentenceRetriever.Respelled(index, QuestionAnalysis.Of("Where was the sumit in Vilnius?"));
        Assert.Equal(QuestionAnalysis.Of("Where was the summit in Vilnius?").Terms, misspelt.Terms);
        Assert.Equal("summit", misspelt.Respellings!["sumit"]);
        Assert.Same(misspelt, SentenceRetriever.Respelled(index, misspelt));
    }

    [Fact]
    public void Dense_evidence_alone_surfaces_the_closest_sentence()
    {
        var article = Article("a", "Local news",
            ["The council approved the new budget on Monday."],
            ["The mayor praised the volunteers at the harbour festival."],
            ["Rain is expected across the region this weekend."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 1), Unit(Dims, 2)]));

        // No word of the question is in the article: only the vectors can decide.
        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("Will umbrellas be needed soon?"), Unit(Dims, 2), null);

        Assert.Equal(2, ranked[0].Sentence.Index);
        Assert.Equal(1, ranked[0].Dense, 3);
        Assert.All(ranked, c => Assert.Equal(0, c.Lexical));
        Assert.All(ranked, c => Assert.Equal(0, c.Coverage));
    }

    [Fact]
    public void A_when_question_prefers_the_sentence_holding_a_year()
    {
        var article = Article("a", "Company news",
            ["The firm opened its office in Jerusalem."],
            ["The firm opened its office in 2017."]);
        var same = Unit(Dims, 0);
        var index = Snapshot(Dims, Indexed(article, [same, same]));

        var question = QuestionAnalysis.Of("When did the firm open its office?");
        var ranked = Retriever().Rank(index, question, same, null);

        Assert.Equal(AnswerKind.Time, question.Expects);
        Assert.Equal(1, ranked[0].Sentence.Index);
        Assert.True(ranked[0].KindMatch);
        Assert.False(ranked[1].KindMatch);
        Assert.True(ranked[0].Score > ranked[1].Score);
    }

    [Fact]
    public void A_where_question_prefers_the_sentence_naming_a_place()
    {
        var article = Article("a", "Company news",
            ["The firm opened its office in 2017."],
            ["The firm opened its office in Jerusalem."]);
        var same = Unit(Dims, 0);
        var index = Snapshot(Dims, Indexed(article, [same, same]));

        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("Where did the firm open its office?"), same, null);

        Assert.Equal(1, ranked[0].Sentence.Index);
    }

    [Fact]
    public void Scope_keeps_only_the_named_article_and_the_title_never_answers()
    {
        var first = Article("a", "Budget approved", ["The council approved the budget."]);
        var second = Article("b", "Budget rejected", [(ParagraphKind.Body, ["The senate rejected the budget."])], titleIsSentence: true);
        // The headline matches the question best on every signal, yet it only names the story.
        var index = Snapshot(Dims, Indexed(first, [Unit(Dims, 0)]), Indexed(second, [Unit(Dims, 0), Unit(Dims, 1)]));

        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("What happened to the budget?"), Unit(Dims, 0), index.SourceIndex("b"));

        var only = Assert.Single(ranked);
        Assert.Equal("b", only.Article.Id);
        Assert.Equal("The senate rejected the budget.", only.Sentence.Text);
    }

    [Fact]
    public void Title_words_count_towards_coverage_of_body_sentences()
    {
        var article = Article("a", "Kaspersky rebuffed", ["The premier declined the invitation."], ["Weather was mild."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 1)]));

        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("Why was Kaspersky's invitation declined?"), Unit(Dims, 2), null);

        var declined = ranked.Single(c => c.Sentence.Index == 0);
        Assert.Equal(1, declined.Coverage, 3);
    }

    [Fact]
    public void A_name_in_a_derived_form_and_an_acronym_spelled_out_count_towards_coverage()
    {
        var article = Article("a", "Intelligence",
            ["The Israelis provided the US National Security Agency with evidence."],
            ["Weather was mild."]);
        var titled = Article("b", "Israeli hackers", ["The National Security Agency was told."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 1)]), Indexed(titled, [Unit(Dims, 2)]));

        var ranked = Retriever().Rank(index, QuestionAnalysis.Of("What about Israel and the NSA?"), Unit(Dims, 0), null);

        Assert.Equal(1, ranked.Single(c => c.Article.Id == "a" && c.Sentence.Index == 0).Coverage, 3);
        Assert.Equal(0, ranked.Single(c => c.Article.Id == "a" && c.Sentence.Index == 1).Coverage, 3);
        Assert.Equal(1, ranked.Single(c => c.Article.Id == "b").Coverage, 3);
    }

    [Theory]
    [InlineData("What did the Israelis tell the US?")]
    [InlineData("Why did Netanyahu turn down the Russian?")]
    [InlineData("What about Kaspersky and the WEF?")]
    [InlineData("Did the PMO answer the Americans in Davos?")]
    [InlineData("What was stolen from the NSA in Switzerland?")]
    public void Coverage_of_every_sentence_of_a_seed_article_is_what_name_matching_says(string text)
    {
        var article = Ingestion.IngestionTestFiles.Read("seed.txt", File.ReadAllText(Ingestion.IngestionTestFiles.SeedPath));
        var index = Snapshot(8, Indexed(article, [.. article.Sentences.Select(s => RandomUnit(8, s.Index))]));
        var question = QuestionAnalysis.Of(text);

        var ranked = Retriever(options: new RetrievalOptions { Candidates = 200 }).Rank(index, question, RandomUnit(8, 99), null);

        Assert.Equal(article.Sentences.Count(s => index.Answers[s.Index]), ranked.Count);
        Assert.All(ranked, c => Assert.Equal(ReferenceCoverage(index, c, question), c.Coverage, 9));
        Assert.Contains(ranked, c => c.Coverage > 0);
    }

    /// <summary>Coverage as <see cref="NameMatching.Meets"/> defines it, each term against each place's terms and wording.</summary>
    private static double ReferenceCoverage(IndexSnapshot index, SentenceCandidate candidate, QuestionAnalysis question)
    {
        var (article, sentence) = (candidate.Article, candidate.Sentence);
        var source = index.SourceIndex(article.Id)!.Value;
        var global = index.FirstSentenceOf(source) + sentence.Index;
        var places = new List<(IReadOnlyCollection<string> Terms, string Text)> { (index.TermsOf(global), sentence.Text), (index.TitleTerms[source], article.Title) };
        if (sentence.Index > 0 && article.Sentences[sentence.Index - 1].Paragraph == sentence.Paragraph)
            places.Add((index.TermsOf(global - 1), article.Sentences[sentence.Index - 1].Text));
        double found = 0, total = 0;
        foreach (var term in question.ContentTerms.Distinct(StringComparer.Ordinal))
        {
            total += index.Lexical.Idf(term);
            found += places.Any(p => NameMatching.Meets(question, term, p.Terms, p.Text)) ? index.Lexical.Idf(term) : 0;
        }

        return total > 0 ? found / total : 0;
    }

    [Fact]
    public void At_most_the_configured_number_of_candidates_is_returned()
    {
        var sentences = Enumerable.Range(0, 6).Select(i => new[] { $"Sentence number {i} talks about budgets." }).ToArray();
        var article = Article("a", "Budgets", sentences);
        var index = Snapshot(Dims, Indexed(article, [.. Enumerable.Range(0, 6).Select(i => Unit(Dims, i % Dims))]));

        var ranked = Retriever(options: new RetrievalOptions { Candidates = 3 }).Rank(index, QuestionAnalysis.Of("budgets"), Unit(Dims, 0), null);

        Assert.Equal(3, ranked.Count);
        Assert.True(ranked[0].Score >= ranked[1].Score && ranked[1].Score >= ranked[2].Score);
    }

    [Fact]
    public async Task An_empty_index_or_unknown_scope_gives_no_candidates()
    {
        var retriever = Retriever();
        Assert.Empty(await retriever.RetrieveAsync(IndexSnapshot.Empty, QuestionAnalysis.Of("anything"), null, CancellationToken.None));

        var index = Snapshot(Dims, Indexed(Article("a", "T", ["Some text here."]), [Unit(Dims, 0)]));
        Assert.Empty(await retriever.RetrieveAsync(index, QuestionAnalysis.Of("text"), "missing", CancellationToken.None));
    }

    [Fact]
    public void A_line_that_only_restates_the_question_ranks_below_one_that_adds_facts()
    {
        var article = Article("a", "Awards",
            ["2021 Masters Tournament winners."],
            ["Hideki Matsuyama won the 2021 Masters Tournament at Augusta by one stroke."]);
        var index = Snapshot(Dims, Indexed(article, [Unit(Dims, 0), Unit(Dims, 0)]));
        var question = QuestionAnalysis.Of("Who won the 2021 Masters Tournament?");

        var ranked = Retriever().Rank(index, question, Unit(Dims, 0), null);
        var unpenalised = Retriever(options: new RetrievalOptions { RestatementPenalty = 0 }).Rank(index, question, Unit(Dims, 0), null);

        Assert.Equal(1, ranked[0].Sentence.Index);
        Assert.True(ranked.Single(c => c.Sentence.Index == 0).Score < unpenalised.Single(c => c.Sentence.Index == 0).Score);
    }

    [Fact]
    public void The_noun_naming_the_kind_of_answer_is_not_required_in_the_answering_sentence()
    {
        var article = Article("a", "History",
            ["Normandy, a region in France, takes its name from the Normans."],
            ["Rain is expected across the region this weekend."]);
        var same = Unit(Dims, 0);
        var index = Snapshot(Dims, Indexed(article, [same, same]));

        var question = QuestionAnalysis.Of("In what country is Normandy?");
        var ranked = Retriever().Rank(index, question, same, null);

        Assert.Equal(["countri"], question.AnswerTypeTerms);
        Assert.Equal(0, ranked[0].Sentence.Index);
        Assert.Equal(1, ranked[0].Coverage, 3);
    }

    [Theory]
    [InlineData("In what country is Normandy located?", "countri")]
    [InlineData("Which kind of ship sank?", "ship")]
    [InlineData("whose army won?", "armi")]
    [InlineData("What is the original meaning of the word?", null)]
    [InlineData("What did the PMO say?", null)]
    [InlineData("How many users does it have?", null)]
    public void The_answer_type_noun_is_the_word_after_what_or_which(string question, string? expected)
    {
        var terms = QuestionAnalysis.Of(question).AnswerTypeTerms ?? [];

        Assert.Equal(expected is null ? [] : [expected], terms);
    }

    [Fact]
    public void Numbers_written_as_words_match_digits()
    {
        Assert.Equal(TermAnalyzer.Shared.Terms("5 sacks in 9 starts"), TermAnalyzer.Shared.Terms("five sacks in nine starts"));
        Assert.Equal(["12", "20", "21"], TermAnalyzer.Shared.Terms("twelve twenty 21"));
    }

    [Fact]
    public void US_in_capitals_is_the_country_and_meets_U_S_while_us_stays_a_stop_word()
    {
        Assert.Equal(TermAnalyzer.Shared.Terms("the U.S. ban"), TermAnalyzer.Shared.Terms("the US ban"));
        Assert.Contains(Assert.Single(TermAnalyzer.Shared.Terms("US")), TermAnalyzer.Shared.Terms("Why did the U.S. act?"));
        Assert.Empty(TermAnalyzer.Shared.Terms("tell us"));
        Assert.DoesNotContain(Assert.Single(TermAnalyzer.Shared.Terms("US")), TermAnalyzer.Shared.Terms("USA and USB"));
    }

    [Fact]
    public void A_what_date_question_prefers_a_calendar_date_to_a_relative_time()
    {
        var article = Article("a", "Company news",
            ["The firm sent the request three months after the report."],
            ["In its January 10 request, the firm asked for a meeting."]);
        var same = Unit(Dims, 0);
        var index = Snapshot(Dims, Indexed(article, [same, same]));

        var question = QuestionAnalysis.Of("On what date did the firm send its request?");
        var ranked = Retriever().Rank(index, question, same, null);

        Assert.Equal(AnswerKind.Date, question.Expects);
        Assert.Equal(1, ranked[0].Sentence.Index);
        Assert.False(ranked[1].KindMatch);
    }
}
