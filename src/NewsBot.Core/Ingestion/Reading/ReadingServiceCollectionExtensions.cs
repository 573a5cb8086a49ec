using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NewsBot.Ingestion;

public static class ReadingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ArticleReader"/>, <see cref="SentenceSegmenter"/> and <see cref="Chunker"/>
    /// with validated <see cref="ChunkingOptions"/>. The chunker needs the embedding model's
    /// <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> registered by whoever provides the model.
    /// </summary>
    public static IServiceCollection AddArticleReading(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => new SentenceSegmenter());
        services.TryAddSingleton(sp => new ArticleReader(sp.GetRequiredService<SentenceSegmenter>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChunkingOptions>, ChunkingOptionsValidator>());
        services.AddOptions<ChunkingOptions>().ValidateOnStart();
        services.TryAddSingleton<Chunker>();
        return services;
    }
}
