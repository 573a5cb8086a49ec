using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Ingestion;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Host.Hosting;

/// <summary>Picks the index store named by <c>Storage:Provider</c>.</summary>
public static class IndexStores
{
    public static IServiceCollection AddIndexStore(this IServiceCollection services, IConfiguration configuration)
    {
        var key = $"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}";
        var raw = configuration[key];
        var provider = string.IsNullOrWhiteSpace(raw) ? StorageProvider.Sqlite
            : Enum.TryParse<StorageProvider>(raw, ignoreCase: true, out var parsed) && !char.IsAsciiDigit(raw.Trim()[0]) && Enum.IsDefined(parsed) ? parsed
            : throw new ConfigurationException($"{key} must be sqlite or postgres, not '{raw}'.");
        return provider == StorageProvider.Postgres ? services.AddPostgresIndexStore() : services.AddSqliteIndexStore();
    }
}
