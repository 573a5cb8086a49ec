using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NewsBot.Testing.Loopback;

namespace NewsBot.Generative.Tests.Support;

/// <summary>What the fake server answers to one request.</summary>
public sealed record Reply(int Status, string Body, string ContentType = "application/json", TimeSpan Delay = default, string? RetryAfter = null)
{
    /// <summary>A chat completion whose assistant message is <paramref name="content"/>.</summary>
    public static Reply Text(string? content, TimeSpan delay = default)
    {
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = "fake-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        };
        return new Reply(200, body.ToJsonString(), Delay: delay);
    }

    public static Reply Error(int status, string? retryAfter = null) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = $"fake failure {status}", ["type"] = "server_error" } }.ToJsonString(), RetryAfter: retryAfter);

    /// <summary>A 200 whose body is not a chat completion at all.</summary>
    public static Reply Garbage() => new(200, "<html><body>502 Bad Gateway… or something</body></html>", "text/html");
}

/// <summary>One request as the fake server received it.</summary>
public sealed record RecordedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonNode Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    public IReadOnlyList<(string Role, string Content)> Messages =>
        Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), ContentOf(m!["content"]))).ToList();

    public string SystemMessage => Messages.Single(m => m.Role == "system").Content;

    public string UserMessage => Messages.Single(m => m.Role == "user").Content;

    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
        _ => string.Empty,
    };
}

/// <summary>
/// An OpenAI-compatible chat completions endpoint on 127.0.0.1 (real HTTP through Kestrel). Replies come from
/// a script, in order, then from <see cref="Responder"/>.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private LoopbackServer? _server;

    private FakeOpenAIServer()
    {
    }

    public Uri Root => _server?.BaseUrl ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>The address to configure as Llm:Endpoint for openai-compatible.</summary>
    public Uri V1 => new(Root, "v1");

    /// <summary>Answers requests once the script is used up; by default a 500.</summary>
    public Func<RecordedRequest, Reply>? Responder { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = new FakeOpenAIServer();
        server._server = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", server.HandleAsync));
        return server;
    }

    public FakeOpenAIServer Enqueue(params Reply[] replies)
    {
        foreach (var reply in replies)
            _script.Enqueue(reply);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var text = await context.Request.ReadBodyAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, headers, JsonNode.Parse(text)!);
        _requests.Enqueue(request);

        var reply = _script.TryDequeue(out var scripted) ? scripted : Responder?.Invoke(request) ?? Reply.Error(500);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        if (reply.RetryAfter is not null)
            context.Response.Headers["Retry-After"] = reply.RetryAfter;
        await context.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
