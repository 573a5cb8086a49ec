using System.Diagnostics;
using NewsBot.Answering;
using NewsBot.Generative.Tests.Support;

namespace NewsBot.Generative.Tests;

public sealed class FailureHandlingTests
{
    private const string Question = "Why did the PMO decline the meeting?";
    private const string Exact = "he must decline your kind invitation";

    private static async Task<Harness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var h = await Harness.StartAsync(configure);
        h.Search.Passages.Add(h.Article.PassageWith("regrettably"));
        return h;
    }

    private static Reply Good() => Reply.Text($"The office said “{Exact}” [1].");

    [Fact]
    public async Task Rate_limit_is_retried_and_then_answered()
    {
        await using var h = await StartAsync();
        h.Server.Enqueue(Reply.Error(429, retryAfter: "0"), Good());

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(answer.Answered);
        Assert.Equal(Exact, Assert.Single(answer.Citations).Quote);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Theory]
    [InlineData(429, "429")]
    [InlineData(500, "500")]
    [InlineData(503, "503")]
    public async Task Persistent_provider_errors_end_in_the_extractive_answer_after_bounded_retries(int status, string shown)
    {
        await using var h = await StartAsync(s => s["Llm:MaxRetries"] = "2");
        h.Server.Responder = _ => Reply.Error(status);

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("language model was unavailable", answer.Note, StringComparison.Ordinal);
        Assert.Contains(shown, answer.Note, StringComparison.Ordinal);
        Assert.Equal(3, h.Server.Requests.Count);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var h = await StartAsync(s => s["Llm:MaxRetries"] = "3");
        h.Server.Responder = _ => Reply.Error(401);

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("refused the request (401)", answer.Note, StringComparison.Ordinal);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_refusal_that_echoes_the_api_key_leaves_no_trace_of_it_in_the_logs()
    {
        // Providers quote the key they refused (OpenAI masks its middle, some proxies quote it whole).
        const string key = "sk-echoed-back-secret";
        await using var h = await StartAsync(s => s["Llm:ApiKey"] = key);
        h.Server.Responder = _ => new Reply(401, $$$"""{"error":{"message":"Incorrect API key provided: {{{key}}}","type":"invalid_request_error","code":"invalid_api_key"}}""");

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Contains("refused the request (401)", answer.Note, StringComparison.Ordinal);
        Assert.True(h.Logs.Contains("Language model unavailable: the provider refused the request (401)"), h.Logs.All);
        Assert.DoesNotContain(key, h.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_provider_times_out_per_request_and_falls_back()
    {
        await using var h = await StartAsync(s =>
        {
            s["Llm:TimeoutSeconds"] = "0.8";
            s["Llm:MaxRetries"] = "1";
        });
        // The reply would take 30 s: finishing well before that proves each request timed out, with room for a busy machine.
        h.Server.Responder = _ => Reply.Text($"Too late “{Exact}” [1].", TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("timed out", answer.Note, StringComparison.Ordinal);
        // Usually both attempts reach the server; on a busy machine the first can fail before it does, and is retried too.
        Assert.InRange(h.Server.Requests.Count, 1, 2);
    }

    [Fact]
    public async Task Overall_deadline_bounds_all_retries_together()
    {
        await using var h = await StartAsync(s =>
        {
            s["Llm:TimeoutSeconds"] = "0.5";
            s["Llm:MaxRetries"] = "10";
            s["Llm:DeadlineSeconds"] = "1.2";
        });
        h.Server.Responder = _ => Reply.Text("never", TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.InRange(h.Server.Requests.Count, 2, 4);
    }

    [Fact]
    public async Task Garbage_response_body_falls_back_with_a_note()
    {
        await using var h = await StartAsync();
        h.Server.Responder = _ => Reply.Garbage();

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("language model was unavailable", answer.Note, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    [InlineData(null)]
    public async Task Empty_completion_is_retried_then_falls_back(string? content)
    {
        await using var h = await StartAsync();
        h.Server.Responder = _ => Reply.Text(content);

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("empty or malformed", answer.Note, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task Empty_completion_then_good_one_is_answered()
    {
        await using var h = await StartAsync();
        h.Server.Enqueue(Reply.Text(""), Good());

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.True(answer.Answered);
        Assert.Null(answer.Note);
    }

    [Fact]
    public async Task Unreachable_provider_falls_back()
    {
        await using var h = await StartAsync(s => s["Llm:Endpoint"] = "http://127.0.0.1:9/v1");

        var answer = await h.Answerer.AnswerAsync(new Question(Question));

        Assert.Equal(Harness.ExtractiveText, answer.Text);
        Assert.Contains("language model was unavailable", answer.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_fallback()
    {
        await using var h = await StartAsync();
        h.Server.Responder = _ => Reply.Text("slow", TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Answerer.AnswerAsync(new Question(Question), cancel.Token));
    }
}
