using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Generative.Answering;
using NewsBot.Generative.Chat;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Summaries;
using NewsBot.Generative.Tests.Support;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;
using NSubstitute;

namespace NewsBot.Generative.Tests;

public sealed class ConfigurationTests
{
    private const string Secret = "sk-very-secret-key";

    private static ValidateOptionsResult Validate(Action<LlmOptions> configure)
    {
        var options = new LlmOptions { Provider = "openai", Model = "gpt-4o-mini", ApiKey = Secret };
        configure(options);
        return new LlmOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void Defaults_are_offline_and_valid() =>
        Assert.True(new LlmOptionsValidator().Validate(null, new LlmOptions()).Succeeded);

    [Fact]
    public void A_number_out_of_range_is_an_error_without_a_provider_too()
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions { TimeoutSeconds = 0, Embeddings = { Dimensions = 0 } });

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Llm:TimeoutSeconds:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Llm:Embeddings:Dimensions:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Provider", "chatgpt", "Llm:Provider:")]
    [InlineData("Model", "", "Llm:Model:")]
    [InlineData("ApiKey", "", "Llm:ApiKey:")]
    [InlineData("Endpoint", "not a url", "Llm:Endpoint:")]
    [InlineData("TimeoutSeconds", "0", "Llm:TimeoutSeconds:")]
    [InlineData("DeadlineSeconds", "60", "Llm:DeadlineSeconds:")]
    [InlineData("MaxRetries", "-1", "Llm:MaxRetries:")]
    [InlineData("MaxContextTokens", "700", "Llm:MaxContextTokens:")]
    [InlineData("Temperature", "3", "Llm:Temperature:")]
    [InlineData("Encoding", "p50k", "Llm:Encoding:")]
    public void Each_bad_value_gives_one_line_naming_the_key_and_never_the_secret(string key, string value, string expected)
    {
        var result = Validate(o => typeof(LlmOptions).GetProperty(key)!.SetValue(o, Convert.ChangeType(value, typeof(LlmOptions).GetProperty(key)!.PropertyType, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
        Assert.DoesNotContain(Secret, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_specific_requirements_are_checked()
    {
        var compatible = new LlmOptions { Provider = "openai-compatible", Model = "llama3" };
        Assert.StartsWith("Llm:Endpoint:", Assert.Single(new LlmOptionsValidator().Validate(null, compatible).Failures!), StringComparison.Ordinal);
        compatible.Endpoint = "http://localhost:11434/v1";
        Assert.True(new LlmOptionsValidator().Validate(null, compatible).Succeeded);

        var azure = new LlmOptions { Provider = "azureopenai", Endpoint = "https://x.openai.azure.com", ApiKey = Secret };
        Assert.StartsWith("Llm:Deployment:", Assert.Single(new LlmOptionsValidator().Validate(null, azure).Failures!), StringComparison.Ordinal);

        var embeddings = new LlmOptions { Embeddings = { Provider = "openai" } };
        var failures = new LlmOptionsValidator().Validate(null, embeddings).Failures!;
        Assert.Contains(failures, f => f.StartsWith("Llm:Embeddings:Model:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Llm:Embeddings:ApiKey:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_api_key_never_appears_in_ToString()
    {
        var options = new LlmOptions { Provider = "openai", Model = "gpt-4o", ApiKey = Secret, Embeddings = { ApiKey = Secret } };

        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, options.Embeddings.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey=(set)", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_none_leaves_the_extractive_services_in_place()
    {
        var (services, extractive) = BaseServices();
        services.AddGenerativeAnswering(Config(new() { ["Llm:Provider"] = "none" }));
        using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.Same(extractive, provider.GetRequiredService<IAnswerer>());
        Assert.True(provider.GetRequiredService<IOptions<LlmOptions>>().Value.ProviderKind == LlmProvider.None);
    }

    [Fact]
    public async Task A_configured_provider_replaces_answerer_summarizer_and_condenser_and_keeps_the_extractive_fallback()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (services, extractive) = BaseServices();
        services.AddGenerativeAnswering(Config(Harness.Settings(server)));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<GenerativeAnswerer>(provider.GetRequiredService<IAnswerer>());
        Assert.IsType<GenerativeSummarizer>(provider.GetRequiredService<ISummarizer>());
        Assert.IsType<ModelQuestionCondenser>(provider.GetRequiredService<IQuestionCondenser>());
        Assert.Same(extractive, provider.GetRequiredKeyedService<IAnswerer>(AnswererKeys.Extractive));
        var metadata = provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
        Assert.Equal("gpt-4o-mini", metadata?.DefaultModelId);
    }

    [Fact]
    public void A_misspelt_provider_stops_start_up_with_one_line()
    {
        var (services, _) = BaseServices();
        services.AddGenerativeAnswering(Config(new() { ["Llm:Provider"] = "opnai", ["Llm:Model"] = "x" }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LlmOptions>>().Value);
        Assert.Contains("Llm:Provider: 'opnai' is not one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_embeddings_replace_the_registered_generator()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (services, _) = BaseServices();
        var local = Substitute.For<IEmbeddingGenerator<string, Embedding<float>>>();
        services.AddSingleton(local);
        services.AddGenerativeAnswering(RemoteEmbeddings(server));
        using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        Assert.NotSame(local, generator);
        Assert.Equal("nomic-embed-text", generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.Same(provider.GetRequiredService<IAnswerer>(), provider.GetRequiredKeyedService<IAnswerer>(AnswererKeys.Extractive));
    }

    [Fact]
    public async Task The_question_mark_for_local_models_is_not_sent_to_a_remote_embedding_api()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(new Reply(200, """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],"model":"nomic-embed-text","usage":{"prompt_tokens":2,"total_tokens":2}}"""));
        var (services, _) = BaseServices();
        services.AddGenerativeAnswering(RemoteEmbeddings(server));
        using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var embedded = await generator.GenerateAsync(["Why did the PMO decline?"], EmbeddingInput.QueryOptions());

        Assert.Equal([0.6f, 0.8f], embedded[0].Vector.ToArray());
        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("Why did the PMO decline?", body["input"]?[0]?.GetValue<string>() ?? body["input"]?.GetValue<string>());
        Assert.Null(body[EmbeddingInput.PropertyName]);
    }

    [Fact]
    public async Task A_remote_embedding_failure_says_why_without_the_providers_text()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // Providers quote the key they refused in the error body.
        server.Responder = _ => new Reply(401, $$$"""{"error":{"message":"Incorrect API key provided: {{{Secret}}}","type":"invalid_request_error"}}""");
        var (services, _) = BaseServices();
        services.AddGenerativeAnswering(Config(new()
        {
            ["Llm:Embeddings:Provider"] = "openai",
            ["Llm:Embeddings:Endpoint"] = server.V1.ToString(),
            ["Llm:Embeddings:Model"] = "text-embedding-3-small",
            ["Llm:Embeddings:ApiKey"] = Secret,
        }));
        using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var error = await Assert.ThrowsAsync<EmbeddingUnavailableException>(() => generator.GenerateAsync(["Why did the PMO decline?"]));

        Assert.Equal("the embedding provider (Llm:Embeddings) is unavailable: the provider refused the request (401)", error.Message);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "/openai/v1/chat/completions", "", "my-deployment")]
    [InlineData("2024-10-21", "/openai/deployments/my-deployment/chat/completions", "?api-version=2024-10-21", "my-deployment")]
    public async Task Azure_openai_sends_the_key_as_api_key_header_to_the_deployment(string? apiVersion, string path, string query, string model)
    {
        await using var h = await Harness.StartAsync(s =>
        {
            s["Llm:Provider"] = "azureopenai";
            s["Llm:Endpoint"] = RootOf(s);
            s["Llm:Deployment"] = "my-deployment";
            s["Llm:Model"] = null;
            s["Llm:ApiKey"] = Secret;
            s["Llm:ApiVersion"] = apiVersion;
        });
        h.Server.Enqueue(Reply.Text("NOT_FOUND: nothing."));

        await h.Answerer.AnswerAsync(new Question("Why?"));

        var request = Assert.Single(h.Server.Requests);
        Assert.Equal(path, request.Path);
        Assert.Equal(query, request.Query);
        Assert.Equal(Secret, request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(model, request.Model);

        // The fake server's root: the openai-compatible endpoint set by the harness, without /v1.
        static string RootOf(Dictionary<string, string?> s) => s["Llm:Endpoint"]![..^"v1".Length];
    }

    private static (ServiceCollection Services, IAnswerer Extractive) BaseServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var extractive = Substitute.For<IAnswerer>();
        var summarizer = Substitute.For<ISummarizer>();
        services.AddKeyedSingleton(AnswererKeys.Extractive, extractive);
        services.AddSingleton(extractive);
        services.AddKeyedSingleton(AnswererKeys.Extractive, summarizer);
        services.AddSingleton(summarizer);
        services.AddSingleton(Substitute.For<IQuestionCondenser>());
        services.AddSingleton(Substitute.For<IPassageSearch>());
        services.AddSingleton<IArticleCatalog>(new ListCatalog());
        return (services, extractive);
    }

    private static IConfiguration RemoteEmbeddings(FakeOpenAIServer server) => Config(new()
    {
        ["Llm:Embeddings:Provider"] = "openai-compatible",
        ["Llm:Embeddings:Endpoint"] = server.V1.ToString(),
        ["Llm:Embeddings:Model"] = "nomic-embed-text",
    });

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
