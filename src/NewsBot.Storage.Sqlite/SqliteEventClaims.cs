using Microsoft.Data.Sqlite;
using NewsBot.Chat;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Event claims in a SQLite file beside the index (<see cref="PathBeside"/>), shared by the NewsBot processes on
/// this machine: the first INSERT of a key wins, and a claim older than the keep time may be taken anew. A file of
/// its own, because an ingest holds the index's write lock for as long as it stores articles, and a question must
/// not wait for that. Each process deletes expired claims now and then, a bounded batch at a time.
/// </summary>
public sealed class SqliteEventClaims : IEventClaims
{
    public const int CleanupBatch = 1000;
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly TimeSpan _keepFor;
    private long _nextCleanupTicks;

    // Whether this instance has created the table: once, not on every claim. Cleared by a failure, so that a claims file
    // deleted as the warning advises is created again.
    private bool _created;

    public SqliteEventClaims(string databasePath, TimeProvider? time = null, TimeSpan? keepFor = null)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _time = time ?? TimeProvider.System;
        _keepFor = keepFor ?? IEventClaims.DefaultKeepFor;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Seconds a claim waits for another process's write (each lasts a millisecond or so) before SQLite gives up.
            DefaultTimeout = 2,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>Where the claims of the processes sharing the index at <paramref name="indexPath"/> live: data/newsbot.db → data/newsbot.claims.db.</summary>
    public static string PathBeside(string indexPath) => Path.ChangeExtension(Path.GetFullPath(indexPath), ".claims.db");

    public async ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var expired = (now - _keepFor).ToUnixTimeMilliseconds();
            if (now.UtcTicks >= Volatile.Read(ref _nextCleanupTicks))
                await CleanUpAsync(connection, now, expired, cancellationToken);

            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO event_claims (key, claimed_at) VALUES ($key, $now)
                ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE event_claims.claimed_at <= $expired
                RETURNING 1
                """;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$expired", expired);
            // No row comes back when the key is held: the conflict's update is skipped.
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            Volatile.Write(ref _created, false);
            throw new EventClaimsUnavailableException($"cannot write the event claims {DatabasePath} ({Reason(e)})", e);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _created))
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // A lost claim costs at most a duplicate answer, so a commit need not wait for the disk (a per-connection setting).
            command.CommandText = Volatile.Read(ref _created)
                ? "PRAGMA synchronous = NORMAL;"
                : """
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = NORMAL;
                    CREATE TABLE IF NOT EXISTS event_claims (key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE INDEX IF NOT EXISTS event_claims_claimed_at ON event_claims (claimed_at);
                    """;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Volatile.Write(ref _created, true);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deletes up to <see cref="CleanupBatch"/> expired claims; a full batch makes the next claim clean up again.</summary>
    private async Task CleanUpAsync(SqliteConnection connection, DateTimeOffset now, long expired, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM event_claims WHERE key IN (
                SELECT key FROM event_claims WHERE claimed_at <= $expired ORDER BY claimed_at LIMIT $batch)
            """;
        command.Parameters.AddWithValue("$expired", expired);
        command.Parameters.AddWithValue("$batch", CleanupBatch);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        Volatile.Write(ref _nextCleanupTicks, deleted < CleanupBatch ? (now + CleanupInterval).UtcTicks : now.UtcTicks);
    }

    private static string Reason(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => "busy: another process holds it",
        SqliteException { SqliteErrorCode: 8 or 3 or 14 } => "it is read-only or cannot be created",
        SqliteException { SqliteErrorCode: 11 or 26 } => "the file is damaged; delete it, it holds nothing else",
        SqliteException sqlite => sqlite.Message,
        _ => e.Message,
    };
}
