using NewsBot.Answering;
using NewsBot.Generative.Answering;
using NewsBot.Generative.Tests.Support;
using NewsBot.Sources;
using NSubstitute;

namespace NewsBot.Generative.Tests;

public sealed class GenerativeAnswererTests
{
    private const string Question = "Why did the PMO decline the meeting?";

    [Fact]
    public async Task Sends_model_messages_completion_limit_and_temperature_with_numbered_passages()
    {
        await using var h = await Harness.StartAsync();
        var passage = h.Article.PassageWith("regrettably");
        h.Search.Passages.Add(passage);
        h.Server.Enqueue(Reply.Text("NOT_FOUND: The articles don’t say."));

        await h.Answerer.AnswerAsync(new Question(Question));

        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("gpt-4o-mini", request.Model);
        Assert.Equal(321, request.Body["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(request.Body["max_tokens"]);
        Assert.Equal(0.2, request.Body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Contains("NOT_FOUND", request.SystemMessage, StringComparison.Ordinal);
        Assert.Contains("[1] " + passage.Title + " (paragraph " + passage.Paragraph + ")\n" + passage.Text, request.UserMessage, StringComparison.Ordinal);
        Assert.EndsWith("Question: " + Question, request.UserMessage, StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(Question, Assert.Single(h.Search.Queries).Text);
    }

    [Fact]
    public async Task Sends_the_configured_key_as_bearer_token_to_a_compatible_server()
    {
        await using var h = await Harness.StartAsync(s => s["Llm:ApiKey"] = "sk-test-secret");
        h.Server.Enqueue(Reply.Text("NOT_FOUND: no."));

        await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal("Bearer sk-test-secret", Assert.Single(h.Server.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task Quote_copied_with_straight_quotes_and_extra_spaces_is_replaced_by_the_exact_source_text()
    {
        await using var h = await Harness.StartAsync();
        var passage = h.Article.PassageWith("400 million global users");
        h.Search.Passages.Add(passage);
        var exact = h.Article.SentenceWith("400 million global users").Text;
        exact = exact[..exact.IndexOf(", of which", StringComparison.Ordinal)];
        Assert.Contains('\u2019', exact);
        h.Server.Enqueue(Reply.Text($"The firm is big: \"{TestArticles.Mangle(exact)}\" [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question("How many users does Kaspersky have?"));

        Assert.True(answer.Answered);
        Assert.Null(answer.Note);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(exact, citation.Quote);
        Assert.Equal(exact, h.Article.Text[citation.Start..citation.End]);
        Assert.Equal(1, citation.Number);
        Assert.Equal(h.Article.Id, citation.SourceId);
        Assert.Equal(passage.Paragraph, citation.Paragraph);
        Assert.Equal($"The firm is big: \u201C{exact}\u201D [1].", answer.Text);
    }

    [Fact]
    public async Task Invented_quote_is_removed_and_the_answer_marked()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        var exact = "regrettably, due to the heavy demands of his schedule, he must decline your kind invitation.";
        Assert.Contains(exact, h.Article.Text, StringComparison.Ordinal);
        h.Server.Enqueue(Reply.Text(
            $"The PMO said that “{exact}” [1] It added that “Netanyahu despises Davos” [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(answer.Answered);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(exact, citation.Quote);
        Assert.DoesNotContain("despises", answer.Text, StringComparison.Ordinal);
        Assert.Contains("could not be found in the article", answer.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Who wrote the article?")]
    [InlineData("What's the headline?")]
    [InlineData("When was the article published?")]
    public async Task The_byline_headline_and_date_are_the_extractive_answers_without_asking_the_model(string question)
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));

        var answer = await h.Answerer.AnswerAsync(new Question(question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task Answer_with_only_invented_quotes_falls_back_to_the_extractive_answer_with_a_note()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        h.Server.Enqueue(Reply.Text("The PMO said “Netanyahu will never meet a Russian” [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.StartsWith(GenerativeAnswerer.UnverifiableNote, answer.Note, StringComparison.Ordinal);
        Assert.Contains("extractive note", answer.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Citations_to_passages_that_were_not_shown_are_removed()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        h.Search.Passages.Add(h.Article.PassageWith("400 million global users"));
        var exact = "he must decline your kind invitation";
        h.Server.Enqueue(Reply.Text($"The office said “{exact}” [1][7]. The schedule was the reason [9]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(answer.Answered);
        Assert.Equal($"The office said \u201C{exact}\u201D [1]. The schedule was the reason.", answer.Text);
        Assert.Equal(exact, Assert.Single(answer.Citations).Quote);
        Assert.Contains("Citations to passages that do not exist were removed.", answer.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quote_holding_double_marks_is_wrapped_in_single_ones_and_stays_verbatim()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        var exact = "the PMO said that \u201Cregrettably, due to the heavy demands of his schedule, he must decline your kind invitation.\u201D";
        h.Server.Enqueue(Reply.Text($"In its reply \u00AB{exact}\u00BB [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal($"In its reply \u2018{exact}\u2019 [1].", answer.Text);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(exact, h.Article.Text[citation.Start..citation.End]);
    }

    [Fact]
    public async Task Quote_cited_with_the_wrong_number_is_credited_to_the_passage_that_holds_it()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("400 million global users"));
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        var exact = "he must decline your kind invitation";
        h.Server.Enqueue(Reply.Text($"The office said “{exact}” [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        var citation = Assert.Single(answer.Citations);
        Assert.Equal(h.Article.PassageWith("regrettably").Paragraph, citation.Paragraph);
        Assert.Equal(exact, h.Article.Text[citation.Start..citation.End]);
    }

    [Fact]
    public async Task Bare_citation_is_backed_by_the_closest_sentence_of_the_cited_passage()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        h.Server.Enqueue(Reply.Text("Netanyahu declined because of the heavy demands of his schedule [1]."));

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        var citation = Assert.Single(answer.Citations);
        Assert.Equal(h.Article.SentenceWith("regrettably").Text, citation.Quote);
        Assert.Equal(citation.Quote, h.Article.Text[citation.Start..citation.End]);
    }

    [Fact]
    public async Task Model_saying_the_passages_do_not_answer_gives_a_plain_not_answered_reply()
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        h.Server.Enqueue(Reply.Text("NOT_FOUND: The articles don’t say what Netanyahu had for breakfast."));

        var answer = await h.Answerer.AnswerAsync(new Question("What did Netanyahu eat for breakfast?"));

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
        Assert.Equal("The articles don’t say what Netanyahu had for breakfast.", answer.Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_model_finds_no_answer_a_photo_caption_the_extractive_reader_quotes_is_the_answer(bool caption)
    {
        await using var h = await Harness.StartAsync();
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        h.Server.Enqueue(Reply.Text("NOT_FOUND: The articles don’t say where the headquarters are."));
        var paragraph = h.Article.Paragraphs.First(p => caption ? p.Kind == ParagraphKind.Caption : p.Kind == ParagraphKind.Body);
        var quote = h.Article.Text[paragraph.Start..paragraph.End];
        var extracted = new Answer("Where is Kaspersky Lab based?", true, $"A photo caption says: “{quote}” [1]",
            [new Citation(1, h.Article.Id, h.Article.Title, paragraph.Number, quote, paragraph.Start, paragraph.End)]);
        h.Extractive.AnswerAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>()).Returns(extracted);

        var answer = await h.Answerer.AnswerAsync(new Question("Where is Kaspersky Lab based?"));

        // Only a caption: the model read the prose, and its "no answer" stands against the reader's reading of it.
        Assert.Equal(caption, answer.Answered);
        Assert.Equal(caption ? extracted.Text : "The articles don’t say where the headquarters are.", answer.Text);
    }

    [Fact]
    public async Task Restricting_to_one_source_reaches_the_search()
    {
        await using var h = await Harness.StartAsync();
        h.Server.Enqueue(Reply.Text("NOT_FOUND: nothing."));

        await h.Answerer.AnswerAsync(new Question(Question, SourceId: "seed"));

        Assert.Equal("seed", Assert.Single(h.Search.Queries).SourceId);
    }
}
