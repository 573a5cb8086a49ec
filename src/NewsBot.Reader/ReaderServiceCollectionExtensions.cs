using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Retrieval;

namespace NewsBot.Reader;

public static class ReaderServiceCollectionExtensions
{
    /// <summary>
    /// The trained reader behind <see cref="IAnswerReader"/>, unless <c>Answering:Reader:Enabled</c> is false: then
    /// nothing is registered and the extractive answerer runs without it. Retrieval hands the reader
    /// <c>Answering:Reader:Candidates</c> sentences: with the reader on, that count replaces <c>Retrieval:Candidates</c>,
    /// which sizes the rule-based answerer's pool.
    /// </summary>
    public static IServiceCollection AddAnswerReader(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ReaderOptions.Section);
        services.AddOptions<ReaderOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReaderOptions>, ReaderOptionsValidator>());
        var configured = section.Get<ReaderOptions>() ?? new ReaderOptions();
        if (!configured.Enabled)
            return services;

        // From the configuration as written, not the validated options: a bad reader setting is reported once, by its own key.
        // Only a valid count is replaced: an out-of-range Retrieval:Candidates must still fail validation, not be masked.
        services.PostConfigure<RetrievalOptions>(retrieval =>
        {
            if (retrieval.Candidates is >= 2 and <= 200)
                retrieval.Candidates = Math.Clamp(configured.Candidates, 2, 64);
        });
        services.TryAddSingleton<OnnxAnswerReader>();
        services.TryAddSingleton<IAnswerReader>(sp => sp.GetRequiredService<OnnxAnswerReader>());
        return services;
    }
}
