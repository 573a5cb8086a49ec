using System.Globalization;
using System.Text.RegularExpressions;
using NewsBot.Chat;
using NewsBot.Generative.Summaries;
using NewsBot.Generative.Tests.Support;
using NewsBot.Summaries;

namespace NewsBot.Generative.Tests;

public sealed class SummaryAndCondenserTests
{
    [Fact]
    public async Task Summary_keeps_verified_cited_sentences_and_drops_the_rest()
    {
        await using var h = await Harness.StartAsync();
        var a = h.Article;
        var first = a.SentenceWith("has turned down a personal request").Text;
        var second = a.SentenceWith("regrettably").Text;
        var quote2 = second[(second.IndexOf('\u201C', StringComparison.Ordinal) + 1)..second.LastIndexOf('\u201D')];
        h.Server.Responder = request =>
        {
            var user = request.UserMessage;
            return Reply.Text(
                $"Netanyahu said no: \"{TestArticles.Mangle(first)}\" [{NumberOf(user, "has turned down")}]. " +
                $"The PMO wrote that “{quote2}” [{NumberOf(user, "regrettably")}] " +
                "Kaspersky called Netanyahu “a coward” [2]. " +
                "Everyone was surprised.");
        };

        var summary = await h.Summarizer.SummarizeAsync(a, SummaryLength.Short);

        Assert.Equal(a.Id, summary.SourceId);
        Assert.Equal(2, summary.Citations.Count);
        Assert.Equal(first, summary.Citations[0].Quote);
        Assert.Equal(quote2, summary.Citations[1].Quote);
        foreach (var citation in summary.Citations)
            Assert.Equal(citation.Quote, a.Text[citation.Start..citation.End]);
        Assert.DoesNotContain("coward", summary.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("surprised", summary.Text, StringComparison.Ordinal);
        Assert.Contains("could not be found", summary.Note, StringComparison.Ordinal);

        var request = Assert.Single(h.Server.Requests);
        Assert.Contains("about 3 sentences", request.UserMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("(Courtesy)", request.UserMessage, StringComparison.Ordinal);
    }

    /// <summary>The number the prompt gave the paragraph holding <paramref name="phrase"/>.</summary>
    private static int NumberOf(string prompt, string phrase) =>
        Regex.Matches(prompt, @"\[(\d+)\] [^\n]*\n([^\n]*)")
            .Where(m => m.Groups[2].Value.Contains(phrase, StringComparison.Ordinal))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Single();

    [Fact]
    public async Task Unverifiable_summary_falls_back_to_the_extractive_one()
    {
        await using var h = await Harness.StartAsync();
        h.Server.Responder = _ => Reply.Text("The article is about “secret talks in Geneva” [1].");

        var summary = await h.Summarizer.SummarizeAsync(h.Article, SummaryLength.Medium);

        Assert.Equal(Harness.ExtractiveText, summary.Text);
        Assert.Equal(GenerativeSummarizer.UnverifiableNote, summary.Note);
    }

    [Fact]
    public async Task Summary_falls_back_when_the_provider_fails()
    {
        await using var h = await Harness.StartAsync();
        h.Server.Responder = _ => Reply.Error(500);

        var summary = await h.Summarizer.SummarizeAsync(h.Article, SummaryLength.Long);

        Assert.Equal(Harness.ExtractiveText, summary.Text);
        Assert.Contains("unavailable", summary.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_up_is_condensed_by_the_model_with_the_history_in_the_prompt()
    {
        await using var h = await Harness.StartAsync();
        h.Server.Enqueue(Reply.Text("Standalone question: \"What did the Americans do about Kaspersky Lab software?\"\nextra line"));
        var history = new[] { new ConversationTurn("What did Israel find in Kaspersky's network?", "Russian hackers used it.", DateTimeOffset.UnixEpoch) };

        var condensed = await h.Condenser.CondenseAsync("and the Americans?", history);

        Assert.Equal("What did the Americans do about Kaspersky Lab software?", condensed);
        var request = Assert.Single(h.Server.Requests);
        Assert.Contains("Q: What did Israel find in Kaspersky's network?", request.UserMessage, StringComparison.Ordinal);
        Assert.EndsWith("New message: and the Americans?", request.UserMessage, StringComparison.Ordinal);
        Assert.Equal(120, request.Body["max_completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Question_without_history_is_not_sent_to_the_model()
    {
        await using var h = await Harness.StartAsync();

        Assert.Equal("Who is Kaspersky?", await h.Condenser.CondenseAsync("Who is Kaspersky?", []));
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(200)]
    public async Task Failed_condensation_leaves_the_question_unchanged(int status)
    {
        await using var h = await Harness.StartAsync();
        h.Server.Enqueue(status == 200 ? Reply.Text("   ") : Reply.Error(status));
        var history = new[] { new ConversationTurn("Who is Kaspersky?", "A CEO.", DateTimeOffset.UnixEpoch) };

        Assert.Equal("and then?", await h.Condenser.CondenseAsync("and then?", history));
        Assert.Single(h.Server.Requests);
    }
}
