using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using NewsBot.Generative.Configuration;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace NewsBot.Generative.Providers;

// The constructors taking an AuthenticationPolicy are marked experimental (OPENAI001) but are the only way to send
// the key as Azure's api-key header, or no key at all to a local server.
#pragma warning disable OPENAI001

/// <summary>
/// Builds Microsoft.Extensions.AI clients for the configured provider. All three providers speak the OpenAI
/// wire protocol, so one client library serves them; only the address and the way the key is sent differ.
/// The client's own retries are off (<see cref="Resilience.ModelCaller"/> owns retrying and timing out) and its
/// network timeout is only a backstop behind the per-request timeout.
/// </summary>
public static class ProviderClients
{
    public static IChatClient CreateChatClient(LlmOptions options)
    {
        var (authentication, clientOptions) = Connection(options, options.TimeoutSeconds);
        return new ChatClient(options.ModelName, authentication, clientOptions).AsIChatClient();
    }

    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(EmbeddingOptions options, double timeoutSeconds)
    {
        var (authentication, clientOptions) = Connection(options, timeoutSeconds);
        return new ProviderEmbeddingGenerator(new EmbeddingClient(options.ModelName, authentication, clientOptions).AsIEmbeddingGenerator(options.Dimensions));
    }

    private static (AuthenticationPolicy Authentication, OpenAIClientOptions Options) Connection(ProviderConnection connection, double timeoutSeconds)
    {
        var (provider, endpoint, apiKey, model, apiVersion) =
            (connection.ProviderKind, connection.Endpoint, connection.ApiKey, connection.ModelName, connection.ApiVersion);
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(timeoutSeconds + 5),
            UserAgentApplicationId = "NewsBot",
        };

        switch (provider)
        {
            case LlmProvider.AzureOpenAI:
                var root = endpoint!.TrimEnd('/');
                if (string.IsNullOrWhiteSpace(apiVersion))
                {
                    // The version-less v1 API takes the deployment name as the model.
                    clientOptions.Endpoint = new Uri(root.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase) ? root + "/" : root + "/openai/v1/");
                }
                else
                {
                    clientOptions.Endpoint = new Uri($"{root}/openai/deployments/{Uri.EscapeDataString(model)}/");
                    clientOptions.AddPolicy(new QueryParameterPolicy("api-version", apiVersion), PipelinePosition.PerCall);
                }

                return (ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(apiKey!), "api-key"), clientOptions);

            case LlmProvider.OpenAICompatible:
                clientOptions.Endpoint = new Uri(endpoint!);
                return (string.IsNullOrWhiteSpace(apiKey)
                    ? new NoAuthenticationPolicy()
                    : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey)), clientOptions);

            default:
                if (!string.IsNullOrWhiteSpace(endpoint))
                    clientOptions.Endpoint = new Uri(endpoint);
                return (ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey!)), clientOptions);
        }
    }

    /// <summary>Local servers (Ollama, llama.cpp) need no key; sending none avoids a fake Authorization header.</summary>
    private sealed class NoAuthenticationPolicy : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }

    /// <summary>Adds the api-version query parameter the classic Azure deployments API requires.</summary>
    private sealed class QueryParameterPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            AddParameter(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            AddParameter(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void AddParameter(PipelineMessage message)
        {
            var uri = message.Request.Uri!;
            if (uri.Query.Contains(name + "=", StringComparison.Ordinal))
                return;
            var builder = new UriBuilder(uri);
            var pair = $"{name}={Uri.EscapeDataString(value)}";
            builder.Query = string.IsNullOrEmpty(builder.Query) ? pair : builder.Query.TrimStart('?') + "&" + pair;
            message.Request.Uri = builder.Uri;
        }
    }
}
