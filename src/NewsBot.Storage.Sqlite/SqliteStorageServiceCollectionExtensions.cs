using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Ingestion;

namespace NewsBot.Storage.Sqlite;

/// <summary>Where the index file lives (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>SQLite file of the index; a relative path resolves against the current directory.</summary>
    [Required]
    public string IndexPath { get; set; } = "data/newsbot.db";
}

public static class SqliteStorageServiceCollectionExtensions
{
    public static IServiceCollection AddSqliteIndexStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.IndexPath.IndexOfAny(Path.GetInvalidPathChars()) < 0, "Storage:IndexPath is not a valid path.")
            .ValidateOnStart();
        services.TryAddSingleton<IIndexStore>(sp => new SqliteIndexStore(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.IndexPath,
            sp.GetService<ILogger<SqliteIndexStore>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}
