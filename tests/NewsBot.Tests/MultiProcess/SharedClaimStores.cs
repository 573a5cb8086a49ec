using Microsoft.Data.Sqlite;
using NewsBot.Chat;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Tests.MultiProcess;

/// <summary>
/// One event claim store shared by several bots in a test, as by several processes: each call of the factory
/// <see cref="OpenAsync"/> returns opens another store instance on it, in a SQLite file or a PostgreSQL database.
/// </summary>
public sealed class SharedClaimStores(PostgresServer postgres) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("newsbot-claims-");

    /// <param name="store"><c>sqlite</c> or <c>postgres</c>.</param>
    /// <param name="time">The clock the bots run on, which decides when a claim's lease or keep time ends.</param>
    public async Task<Func<IEventClaims>> OpenAsync(string store, TimeProvider? time = null)
    {
        if (store == "sqlite")
        {
            var path = SqliteEventClaims.PathBeside(Path.Combine(_folder.FullName, "newsbot.db"));
            return () => new SqliteEventClaims(path, time);
        }

        var connectionString = await postgres.CreateDatabaseAsync();
        return () => new PostgresEventClaims(connectionString, time);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
