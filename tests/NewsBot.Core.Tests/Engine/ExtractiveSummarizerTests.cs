using NewsBot.Answering;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;
using static NewsBot.Core.Tests.Engine.EngineTestData;

namespace NewsBot.Core.Tests.Engine;

public class ExtractiveSummarizerTests
{
    private const int Dims = 16;

    private static readonly string[] Body =
    [
        "The council approved the new city budget late on Monday evening.",
        "Spending on schools will rise by a tenth over the coming year.",
        "The mayor said the plan would keep local taxes at their current level.",
        "Opposition members argued that road repairs had again been postponed.",
        "A public hearing drew more than two hundred residents to the town hall.",
        "Several speakers asked for longer opening hours at the public library.",
        "The budget also funds two new buses for the northern suburbs.",
        "Officials expect the first buses to run before the end of summer.",
        "The finance committee will review the spending again in the autumn.",
        "Local businesses welcomed the decision to leave parking fees unchanged.",
        "Council staff will publish the full figures on the city website.",
        "The next council meeting is scheduled for the first week of March.",
    ];

    private static (CurrentIndex Index, Article Article) Load()
    {
        var paragraphs = new List<(ParagraphKind, string[])>
        {
            (ParagraphKind.Byline, ["By Jane Doe, City Hall reporter for the Daily Ledger"]),
            (ParagraphKind.Body, [Body[0], Body[1]]),
            (ParagraphKind.Caption, ["The mayor speaks at the town hall on Monday evening (AP/John Smith)"]),
            (ParagraphKind.Body, ["Short one."]),
        };
        paragraphs.AddRange(Body.Skip(2).Select(s => (ParagraphKind.Body, new[] { s })));
        var article = Article("budget", "City approves budget", paragraphs);
        var vectors = article.Sentences.Select(s => RandomUnit(Dims, s.Index + 1)).ToList();
        var index = new CurrentIndex();
        index.Publish(Snapshot(Dims, Indexed(article, vectors)));
        return (index, article);
    }

    [Theory]
    [InlineData(SummaryLength.Short, 3)]
    [InlineData(SummaryLength.Medium, 5)]
    [InlineData(SummaryLength.Long, 8)]
    public async Task The_length_sets_the_number_of_cited_sentences(SummaryLength length, int expected)
    {
        var (index, article) = Load();

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, length);

        Assert.Equal(expected, summary.Citations.Count);
        Assert.Equal(Enumerable.Range(1, expected), summary.Citations.Select(c => c.Number));
        Assert.Equal(expected, summary.Citations.Select(c => c.Start).Distinct().Count());
    }

    [Fact]
    public async Task Sentences_come_in_article_order_verbatim_and_only_from_body_prose()
    {
        var (index, article) = Load();

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, SummaryLength.Long);

        Assert.Equal(summary.Citations.OrderBy(c => c.Start).Select(c => c.Start), summary.Citations.Select(c => c.Start));
        CitationVerifier.EnsureVerbatim(summary.Citations, index.Snapshot);
        var kinds = article.Paragraphs.ToDictionary(p => p.Number, p => p.Kind);
        Assert.All(summary.Citations, c => Assert.Equal(ParagraphKind.Body, kinds[c.Paragraph]));
        Assert.All(summary.Citations, c => Assert.Contains(c.Quote, Body));
        foreach (var c in summary.Citations)
            Assert.Contains($"{c.Quote} [{c.Number}]", summary.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_sentence_is_equally_central_the_lead_wins()
    {
        var article = Article("lead", "City approves budget", [.. Body.Select(b => new[] { b })]);
        var same = RandomUnit(Dims, 7);
        var index = new CurrentIndex();
        index.Publish(Snapshot(Dims, Indexed(article, [.. article.Sentences.Select(_ => same)])));

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, SummaryLength.Short);

        Assert.Equal(Body.Take(3), summary.Citations.Select(c => c.Quote));
    }

    [Fact]
    public async Task A_sentence_saying_the_same_as_a_chosen_one_is_passed_over()
    {
        // Sentences 0 and 1 say the same (one vector) and are the most central and the lead; the rest are unrelated.
        var article = Article("dup", "City approves budget", [.. Body.Take(6).Select(b => new[] { b })]);
        var vectors = article.Sentences.Select(s => Unit(Dims, s.Index < 2 ? 0 : s.Index)).ToList();
        var index = new CurrentIndex();
        index.Publish(Snapshot(Dims, Indexed(article, vectors)));

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, SummaryLength.Short);

        Assert.Equal([Body[0], Body[2], Body[3]], summary.Citations.Select(c => c.Quote));
    }

    [Fact]
    public async Task A_short_article_gives_what_it_has()
    {
        var article = Article("tiny", "Tiny", [Body[0]], [Body[1]]);
        var index = new CurrentIndex();
        index.Publish(Snapshot(Dims, Indexed(article, [RandomUnit(Dims, 1), RandomUnit(Dims, 2)])));

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, SummaryLength.Long);

        Assert.Equal([Body[0], Body[1]], summary.Citations.Select(c => c.Quote));
    }

    [Fact]
    public async Task A_subtitle_without_a_full_stop_is_its_own_terminated_line_before_the_lead()
    {
        const string dek = "The prime minister's office turns down a meeting request this week";
        var article = Article("dek", "City approves budget", [(ParagraphKind.Dek, new[] { dek }), .. Body.Take(4).Select(b => (ParagraphKind.Body, new[] { b }))]);
        var index = new CurrentIndex();
        index.Publish(Snapshot(Dims, Indexed(article, [.. article.Sentences.Select(_ => RandomUnit(Dims, 3))])));

        var summary = await new ExtractiveSummarizer(index).SummarizeAsync(article, SummaryLength.Short);

        Assert.Equal(dek, summary.Citations[0].Quote);
        Assert.StartsWith($"{dek} [1].\n{summary.Citations[1].Quote} [2] ", summary.Text, StringComparison.Ordinal);
        Assert.Equal(1, summary.Text.Count(c => c == '\n'));
    }

    [Fact]
    public async Task An_article_that_is_not_loaded_is_rejected()
    {
        var (index, _) = Load();
        var other = Article("other", "Other", [Body[0]]);

        var e = await Assert.ThrowsAsync<QuestionRejectedException>(() => new ExtractiveSummarizer(index).SummarizeAsync(other, SummaryLength.Short));
        Assert.Equal(QuestionProblem.UnknownSource, e.Problem);
    }
}
