using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot;

public static class NewsBotServiceCollectionExtensions
{
    /// <summary>
    /// The engine: ingestion, retrieval, extractive answering and summaries, conversation memory.
    /// The host adds an <c>IEmbeddingGenerator</c>, a <c>Tokenizer</c> for chunking and an <see cref="IIndexStore"/>.
    /// </summary>
    public static IServiceCollection AddNewsBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AnsweringOptions>().Bind(configuration.GetSection(AnsweringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrievalOptions>().Bind(configuration.GetSection(RetrievalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CurrentIndex>();
        services.TryAddSingleton<IArticleCatalog>(sp => sp.GetRequiredService<CurrentIndex>());
        services.AddOptions<ChunkingOptions>().Bind(configuration.GetSection(ChunkingOptions.Section));
        services.AddArticleReading();
        services.TryAddSingleton<IndexHealth>();
        services.TryAddSingleton<Ingestor>();
        services.TryAddSingleton<ReloadCoordinator>();
        services.TryAddSingleton<IndexFollower>();

        services.TryAddSingleton<IndexSnapshotFactory>();
        services.TryAddSingleton<SentenceRetriever>();
        services.TryAddSingleton<IPassageSearch, PassageSearch>();
        services.TryAddSingleton<QuestionGuard>();
        services.TryAddKeyedSingleton<IAnswerer, ExtractiveAnswerer>(AnswererKeys.Extractive);
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IAnswerer>(AnswererKeys.Extractive));
        services.TryAddKeyedSingleton<ISummarizer, ExtractiveSummarizer>(AnswererKeys.Extractive);
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ISummarizer>(AnswererKeys.Extractive));
        services.TryAddSingleton<IConversationMemory>(sp => new ConversationMemory(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IQuestionCondenser, TopicCarryingCondenser>();
        services.TryAddSingleton<INewsBotEngine, NewsBotEngine>();
        return services;
    }
}
