using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NewsBot.Retrieval.Ann;

public static class AnnServiceCollectionExtensions
{
    /// <summary>
    /// The approximate dense index (USearch HNSW) that snapshots past <c>Retrieval:AnnThreshold</c> use, kept in the
    /// folder of <c>Storage:IndexPath</c> unless <c>Retrieval:Ann:Directory</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddApproximateDenseIndex(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnnOptions>().Bind(configuration.GetSection(AnnOptions.Section))
            // Blank counts as unset, as appsettings.example.json writes it.
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.Directory))
                    o.Directory = Path.GetDirectoryName(Path.GetFullPath(configuration["Storage:IndexPath"] ?? "data/newsbot.db"));
            })
            .ValidateDataAnnotations()
            .Validate(o => o.Directory is null || o.Directory.IndexOfAny(Path.GetInvalidPathChars()) < 0, "Retrieval:Ann:Directory is not a valid path.")
            .ValidateOnStart();
        services.TryAddSingleton<IApproximateDenseIndexFactory, UsearchDenseIndexFactory>();
        return services;
    }
}
