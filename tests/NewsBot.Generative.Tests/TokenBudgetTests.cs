using NewsBot.Answering;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Tests.Support;
using NewsBot.Generative.Tokens;
using NewsBot.Sources;

namespace NewsBot.Generative.Tests;

public sealed class TokenBudgetTests
{
    [Fact]
    public void Known_model_names_use_their_own_encoding_and_local_names_the_configured_one()
    {
        Assert.False(new TokenCounter("gpt-4o", "cl100k_base").UsesFallbackEncoding);
        var local = new TokenCounter("llama3.1:8b", "cl100k_base");
        Assert.True(local.UsesFallbackEncoding);
        Assert.True(local.Count("Prime Minister Benjamin Netanyahu has turned down a personal request") > 5);
    }

    [Fact]
    public void Ledger_admits_passages_in_rank_order_until_the_budget_and_cuts_the_first_that_does_not_fit()
    {
        var article = TestArticles.Seed();
        var tokens = new TokenCounter("gpt-4o", "o200k_base");
        var passages = article.Paragraphs.Where(p => p.Kind == ParagraphKind.Body).Select(p => article.PassageOf(p)).ToList();
        var budget = 200;

        var ledger = new PassageLedger(tokens, budget);
        var shown = ledger.Admit(passages);

        Assert.True(tokens.Count(shown) <= budget, $"{tokens.Count(shown)} tokens shown");
        Assert.InRange(ledger.Passages.Count, 1, passages.Count - 1);
        Assert.True(ledger.Trimmed > 0);
        foreach (var (passage, index) in ledger.Passages.Select((p, i) => (p, i)))
        {
            Assert.Equal(passages[index].Start, passage.Start);
            Assert.Equal(article.Text[passage.Start..passage.End], passage.Text);
        }

        var last = ledger.Passages[^1];
        Assert.True(last.End <= passages[ledger.Passages.Count - 1].End);
    }

    [Fact]
    public void Passage_already_numbered_keeps_its_number_and_costs_nothing_more()
    {
        var article = TestArticles.Seed();
        var tokens = new TokenCounter("gpt-4o", "o200k_base");
        var first = article.PassageWith("regrettably");
        var ledger = new PassageLedger(tokens, 10_000);

        ledger.Admit([first]);
        var used = ledger.TokensUsed;
        var again = ledger.Admit([first, article.PassageWith("400 million")]);

        Assert.StartsWith("[1] ", again, StringComparison.Ordinal);
        Assert.Contains("[2] ", again, StringComparison.Ordinal);
        Assert.Equal(2, ledger.Passages.Count);
        Assert.True(ledger.TokensUsed > used);
    }

    [Fact]
    public async Task A_small_context_window_sends_fewer_passages_and_stays_within_it()
    {
        var article = TestArticles.Seed();
        await using var h = await Harness.StartAsync(s =>
        {
            s["Llm:MaxContextTokens"] = "1400";
            s["Llm:MaxCompletionTokens"] = "300";
            s["Llm:Passages"] = "20";
        }, article);
        h.Search.Passages.AddRange(article.Paragraphs.Where(p => p.Kind == ParagraphKind.Body).Select(p => article.PassageOf(p)));
        h.Server.Enqueue(Reply.Text("NOT_FOUND: nothing."));

        await h.Answerer.AnswerAsync(new Question("What did Kaspersky Lab do?"));

        var request = Assert.Single(h.Server.Requests);
        var tokens = new TokenCounter("gpt-4o-mini", "o200k_base");
        var prompt = request.SystemMessage + request.UserMessage;
        Assert.True(tokens.Count(prompt) + 300 <= 1400, $"{tokens.Count(prompt)} prompt tokens");
        var shown = Enumerable.Range(1, 20).Count(n => request.UserMessage.Contains($"[{n}] {article.Title}", StringComparison.Ordinal));
        Assert.InRange(shown, 1, h.Search.Passages.Count - 1);
    }

    [Fact]
    public async Task Quote_from_a_passage_that_was_cut_from_the_prompt_is_not_accepted()
    {
        var article = TestArticles.Seed();
        await using var h = await Harness.StartAsync(s =>
        {
            s["Llm:MaxContextTokens"] = "1200";
            s["Llm:MaxCompletionTokens"] = "300";
            s["Llm:Passages"] = "20";
        }, article);
        h.Search.Passages.AddRange(article.Paragraphs.Where(p => p.Kind == ParagraphKind.Body).Select(p => article.PassageOf(p)));
        var lastSentence = article.SentenceWith("cooperating with the Kremlin");
        h.Server.Enqueue(Reply.Text($"The Times said “{lastSentence.Text}” [15]."));

        var answer = await h.Answerer.AnswerAsync(new Question("Was Kaspersky involved?"));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
    }
}
