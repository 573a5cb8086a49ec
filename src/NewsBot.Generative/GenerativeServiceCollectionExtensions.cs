using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Generative.Answering;
using NewsBot.Generative.Chat;
using NewsBot.Generative.Configuration;
using NewsBot.Generative.Grounding;
using NewsBot.Generative.Plugins;
using NewsBot.Generative.Prompts;
using NewsBot.Generative.Providers;
using NewsBot.Generative.Resilience;
using NewsBot.Generative.Summaries;
using NewsBot.Generative.Tokens;
using NewsBot.Retrieval;
using NewsBot.Summaries;

namespace NewsBot.Generative;

public static class GenerativeServiceCollectionExtensions
{
    /// <summary>
    /// Adds generative answers and summaries when <c>Llm:Provider</c> names a provider; with <c>none</c> (the default)
    /// only the options are registered and the extractive answerer stays. Call it after the extractive
    /// <see cref="IAnswerer"/>, <see cref="ISummarizer"/> and <see cref="IQuestionCondenser"/> are registered: it replaces
    /// the unkeyed ones and falls back to those keyed <see cref="AnswererKeys.Extractive"/>. Likewise, remote embeddings
    /// (<c>Llm:Embeddings:Provider</c>) replace the registered <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
    /// </summary>
    public static IServiceCollection AddGenerativeAnswering(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(LlmOptions.SectionName);
        services.AddOptions<LlmOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        if (IsConfigured(section[nameof(LlmOptions.Provider)]))
            AddChat(services);
        if (IsConfigured(section[$"{nameof(LlmOptions.Embeddings)}:{nameof(EmbeddingOptions.Provider)}"]))
        {
            services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
                return ProviderClients.CreateEmbeddingGenerator(options.Embeddings, options.TimeoutSeconds);
            });
        }

        return services;
    }

    /// <summary>An unparsable provider counts as configured, so start-up validation reports it instead of silently staying offline.</summary>
    private static bool IsConfigured(string? provider) =>
        !ProviderNames.TryParse(provider, out var kind) || kind != LlmProvider.None;

    private static void AddChat(IServiceCollection services)
    {
        services.AddSingleton(sp => new TokenCounter(sp.GetRequiredService<IOptions<LlmOptions>>().Value));
        services.AddSingleton(sp => PromptLibrary.Load(sp.GetRequiredService<IOptions<LlmOptions>>().Value.PromptsDirectory));
        services.AddSingleton(sp => ProviderClients.CreateChatClient(sp.GetRequiredService<IOptions<LlmOptions>>().Value));
        services.AddSingleton(sp => ModelCaller.ForAnswers(
            sp.GetRequiredService<IOptions<LlmOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelCaller>()));
        services.AddSingleton<GroundingVerifier>();
        services.AddSingleton<GroundedModel>();
        services.AddSingleton(BuildKernel);

        services.AddSingleton<GenerativeAnswerer>();
        services.AddSingleton<GenerativeSummarizer>();
        services.AddSingleton<ModelQuestionCondenser>();
        services.RemoveAll<IAnswerer>();
        services.AddSingleton<IAnswerer>(sp => sp.GetRequiredService<GenerativeAnswerer>());
        services.RemoveAll<ISummarizer>();
        services.AddSingleton<ISummarizer>(sp => sp.GetRequiredService<GenerativeSummarizer>());
        services.RemoveAll<IQuestionCondenser>();
        services.AddSingleton<IQuestionCondenser>(sp => sp.GetRequiredService<ModelQuestionCondenser>());

        services.AddHostedService<GenerativeStartupCheck>();
    }

    /// <summary>
    /// The kernel has its own small container: the chat client and the <c>articles</c> plugin over the app's
    /// <see cref="IPassageSearch"/>. Prompt functions find the <see cref="IChatClient"/> there.
    /// </summary>
    private static Kernel BuildKernel(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(services.GetRequiredService<IChatClient>());
        // No logger factory: the kernel logs a failed call with the provider's exception, whose text quotes the error
        // body, where providers quote the API key they refused. ModelCaller logs every failure in secret-free words.
        builder.Plugins.AddFromObject(
            new ArticlesPlugin(services.GetRequiredService<IPassageSearch>(), services.GetRequiredService<TokenCounter>(), options.Passages),
            ArticlesPlugin.PluginName);
        return builder.Build();
    }
}

/// <summary>
/// Loads the prompt templates and builds the kernel when the host starts, so a broken template or provider
/// setting stops start-up with one line instead of failing the first question.
/// </summary>
internal sealed class GenerativeStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<PromptLibrary>();
        services.GetRequiredService<Kernel>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
