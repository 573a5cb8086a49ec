using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Ingestion;

namespace NewsBot.Storage.Sqlite;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// The index in the SQLite file at <c>Storage:IndexPath</c>, and the claims on chat events in a file beside it (the
    /// <see cref="StorageOptions"/> are bound by the core).
    /// </summary>
    public static IServiceCollection AddSqliteIndexStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .Validate(o => o.IndexPath.IndexOfAny(Path.GetInvalidPathChars()) < 0, "Storage:IndexPath is not a valid path.")
            .Validate(o => !Directory.Exists(o.IndexPath), "Storage:IndexPath names a folder; give the path of the index file, such as data/newsbot.db.");
        services.TryAddSingleton<IIndexStore>(sp => new SqliteIndexStore(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.IndexPath,
            sp.GetService<ILogger<SqliteIndexStore>>(),
            sp.GetRequiredService<TimeProvider>()));
        // The processes sharing the index file share the claims on chat events too, so a re-delivered event is answered once.
        services.TryAddSingleton<IEventClaims>(sp => new SqliteEventClaims(
            SqliteEventClaims.PathBeside(sp.GetRequiredService<IOptions<StorageOptions>>().Value.IndexPath),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<EventClaimsOptions>>().Value,
            sp.GetService<ILogger<SqliteEventClaims>>()));
        return services;
    }
}
