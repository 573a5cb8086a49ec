using Microsoft.Extensions.AI;
using NewsBot.Generative.Resilience;
using NewsBot.Retrieval;

namespace NewsBot.Generative.Providers;

/// <summary>
/// A remote embedding generator whose failures are an <see cref="EmbeddingUnavailableException"/> saying why in
/// <see cref="ModelCaller.Describe"/>'s words. The provider's exception is dropped, not wrapped: its text quotes the
/// error body, where providers quote the API key they refused, and whoever logs an exception logs its inner ones.
/// </summary>
internal sealed class ProviderEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GenerateAsync(values, options, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmbeddingUnavailableException($"the embedding provider (Llm:Embeddings) is unavailable: {ModelCaller.Describe(e)}");
        }
    }
}
