using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NewsBot.Chat;
using NewsBot.Ingestion;

namespace NewsBot.Storage.Postgres;

public static class PostgresStorageServiceCollectionExtensions
{
    public const string ConnectionStringExample = "Host=127.0.0.1;Port=5432;Database=newsbot;Username=newsbot;Password=…";

    /// <summary>
    /// The index, and the claims on chat events, in the PostgreSQL database at <c>Storage:ConnectionString</c> (the
    /// <see cref="StorageOptions"/> are bound by the core).
    /// </summary>
    public static IServiceCollection AddPostgresIndexStore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"Storage:ConnectionString is required when Storage:Provider is postgres (e.g. {ConnectionStringExample}).")
            .Validate(o => string.IsNullOrWhiteSpace(o.ConnectionString) || IsValid(o.ConnectionString),
                // Not the parser's message: a password holding ';' would leak into it as an unknown keyword.
                $"Storage:ConnectionString is not a valid Npgsql connection string; write it as {ConnectionStringExample} and quote values holding ';' with single quotes.");
        services.TryAddSingleton<IIndexStore>(sp => new PostgresIndexStore(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!, sp.GetService<ILogger<PostgresIndexStore>>()));
        // Every process on the database shares the claims on chat events, so a re-delivered event is answered once.
        services.TryAddSingleton<IEventClaims>(sp => new PostgresEventClaims(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<EventClaimsOptions>>().Value));
        return services;
    }

    private static bool IsValid(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return !string.IsNullOrWhiteSpace(builder.Host);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return false;
        }
    }
}
