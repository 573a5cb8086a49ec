using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Chat;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Event claims in a SQLite file beside the index (<see cref="PathBeside"/>), shared by the NewsBot processes on
/// this machine. A row's <c>holder</c> is its claimant while it answers, and <c>claimed_at</c> when it claimed or last
/// renewed: the row holds for the lease. Completing clears the holder and restarts <c>claimed_at</c>: the row then holds
/// for the keep time. Each claim is one statement, which SQLite runs under its write lock, so of two processes racing for a new key,
/// or for one whose lease ran out, exactly one wins. A file of its own, because an ingest holds the index's write lock
/// for as long as it stores articles, and a question must not wait for that. Each process deletes expired claims now
/// and then, a bounded batch at a time. A damaged file is set aside and a fresh one made: claims last minutes, so
/// losing them costs at most a duplicate answer.
/// </summary>
public sealed partial class SqliteEventClaims : IEventClaims
{
    public const int CleanupBatch = 1000;
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _keepFor;
    private readonly ILogger _logger;
    private readonly Lock _setAside = new();
    private long _nextCleanupTicks;

    // Counts the damaged files this instance set aside, so that of several claims failing on one file only the first sets it aside.
    private int _fileGeneration;

    // Whether this instance has created the table: once, not on every claim. Cleared by a failure, so that a claims file
    // deleted or set aside is created again.
    private bool _created;

    public SqliteEventClaims(string databasePath, TimeProvider? time = null, EventClaimsOptions? options = null, ILogger<SqliteEventClaims>? logger = null)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        _time = time ?? TimeProvider.System;
        options ??= new EventClaimsOptions();
        (_lease, _keepFor) = (options.Lease, options.KeepFor);
        _logger = logger ?? (ILogger)NullLogger.Instance;
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

    public async ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var claim = EventClaim.New(key);
        return await RunAsync(async (connection, now) =>
        {
            if (now.UtcTicks >= Volatile.Read(ref _nextCleanupTicks))
                await CleanUpAsync(connection, now, cancellationToken);

            // A held key skips the conflict's update, and no row comes back. A claim from before leases has no holder: completed.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO event_claims (key, claimed_at, holder, payload, attempts) VALUES ($key, $now, $holder, $payload, 1)
                ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, holder = excluded.holder, payload = excluded.payload,
                    attempts = CASE WHEN event_claims.holder IS NULL THEN 1 ELSE event_claims.attempts + 1 END
                WHERE event_claims.claimed_at <= CASE WHEN event_claims.holder IS NULL THEN $kept ELSE $leased END
                RETURNING 1
                """;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$holder", claim.Holder);
            command.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
            command.Parameters.AddWithValue("$kept", (now - _keepFor).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$leased", (now - _lease).ToUnixTimeMilliseconds());
            return await command.ExecuteScalarAsync(cancellationToken) is null ? null : claim;
        }, cancellationToken);
    }

    public async ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await StampHeldAsync(claim, "claimed_at = $now", cancellationToken) > 0;

    public async ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await StampHeldAsync(claim, "holder = NULL, claimed_at = $now, payload = NULL", cancellationToken);

    /// <summary>Sets <paramref name="assignments"/> (which may use <c>$now</c>) on the claim's row while its holder still holds it; the rows changed.</summary>
    private Task<int> StampHeldAsync(EventClaim claim, string assignments, CancellationToken cancellationToken) =>
        RunHeldAsync(claim, $"UPDATE event_claims SET {assignments} WHERE key = $key AND holder = $holder", cancellationToken);

    public async ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await RunHeldAsync(claim, "DELETE FROM event_claims WHERE key = $key AND holder = $holder", cancellationToken);

    // Back-dated to the end of its lease rather than deleted, so that the claim goes on holding the event against a
    // re-delivery until another claimant takes it over.
    public async ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await RunHeldAsync(claim, """
            UPDATE event_claims SET claimed_at = $leased WHERE key = $key AND holder = $holder AND payload IS NOT NULL;
            DELETE FROM event_claims WHERE key = $key AND holder = $holder AND payload IS NULL;
            """, cancellationToken);

    public async ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        var holder = Guid.NewGuid();
        return await RunAsync(async (connection, now) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE event_claims SET holder = $holder, claimed_at = $now, attempts = attempts + 1
                WHERE key IN (
                    SELECT key FROM event_claims
                    WHERE payload IS NOT NULL AND holder IS NOT NULL AND claimed_at <= $leased AND attempts < $maxAttempts
                        AND substr(key, 1, length($prefix)) = $prefix
                    ORDER BY claimed_at LIMIT $max)
                RETURNING key, payload, attempts
                """;
            command.Parameters.AddWithValue("$holder", holder);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$leased", (now - _lease).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$maxAttempts", maxAttempts);
            command.Parameters.AddWithValue("$prefix", keyPrefix);
            command.Parameters.AddWithValue("$max", max);
            var taken = new List<AbandonedEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                taken.Add(new AbandonedEvent(new EventClaim(reader.GetString(0), holder), reader.GetString(1), reader.GetInt32(2)));
            return (IReadOnlyList<AbandonedEvent>)taken;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> with the claim's <c>$key</c> and <c>$holder</c>, <c>$now</c>, and <c>$leased</c> (a claim made then has just reached the end of its lease); the rows changed.</summary>
    private Task<int> RunHeldAsync(EventClaim claim, string sql, CancellationToken cancellationToken) =>
        RunAsync(async (connection, now) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$key", claim.Key);
            command.Parameters.AddWithValue("$holder", claim.Holder);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$leased", (now - _lease).ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Runs <paramref name="statement"/>; on a damaged file, sets it aside and runs it once more on a fresh one.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, DateTimeOffset, Task<T>> statement, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var generation = Volatile.Read(ref _fileGeneration);
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                return await statement(connection, _time.GetUtcNow());
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                Volatile.Write(ref _created, false);
                if (attempt > 1 || !SqliteDamagedFile.IsDamage(e) || !SetAside(generation, e))
                    throw new EventClaimsUnavailableException($"cannot write the event claims {DatabasePath} ({Reason(e)})", e);
            }
        }
    }

    /// <summary>
    /// Sets the damaged file aside, with one warning; true when it is out of the way, also when another claim of this
    /// process or another process set it aside first.
    /// </summary>
    private bool SetAside(int generation, Exception damage)
    {
        lock (_setAside)
        {
            if (_fileGeneration != generation)
                return true;
            try
            {
                var setAside = SqliteDamagedFile.SetAside(DatabasePath, _time);
                LogSetAside(DatabasePath, damage.Message, setAside);
            }
            catch (FileNotFoundException)
            {
                // Another process set it aside first.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            _fileGeneration++;
            return true;
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
                    CREATE TABLE IF NOT EXISTS event_claims (key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL, holder BLOB, payload TEXT, attempts INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID;
                    CREATE INDEX IF NOT EXISTS event_claims_claimed_at ON event_claims (claimed_at);
                    """;
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (!Volatile.Read(ref _created))
                await AddLaterColumnsAsync(connection, cancellationToken);
            Volatile.Write(ref _created, true);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The columns a claims file made by an earlier NewsBot lacks, oldest first: without a holder its claims all count as
    // completed, and without a payload none can be taken over.
    private static readonly (string Name, string Definition)[] LaterColumns =
        [("holder", "holder BLOB"), ("payload", "payload TEXT"), ("attempts", "attempts INTEGER NOT NULL DEFAULT 1")];

    /// <summary>Adds the <see cref="LaterColumns"/> a claims file made by an earlier NewsBot lacks.</summary>
    private static async Task AddLaterColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pragma_table_info('event_claims') WHERE name = 'attempts'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! > 0)
            return;

        // Under the write lock (a Microsoft.Data.Sqlite transaction begins IMMEDIATE), as another process may be adding them too.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info('event_claims')";
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                present.Add(reader.GetString(0));
        }

        foreach (var (_, definition) in LaterColumns.Where(c => !present.Contains(c.Name)))
        {
            command.CommandText = $"ALTER TABLE event_claims ADD COLUMN {definition}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes up to <see cref="CleanupBatch"/> claims past the keep time (completed or not: a lease is shorter); a full
    /// batch makes the next claim clean up again.
    /// </summary>
    private async Task CleanUpAsync(SqliteConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM event_claims WHERE key IN (
                SELECT key FROM event_claims WHERE claimed_at <= $expired ORDER BY claimed_at LIMIT $batch)
            """;
        command.Parameters.AddWithValue("$expired", (now - _keepFor).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$batch", CleanupBatch);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        Volatile.Write(ref _nextCleanupTicks, deleted < CleanupBatch ? (now + CleanupInterval).UtcTicks : now.UtcTicks);
    }

    private static string Reason(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => "busy: another process holds it",
        SqliteException { SqliteErrorCode: 8 or 3 or 14 } => "it is read-only or cannot be created",
        SqliteException { SqliteErrorCode: 11 or 26 } => "the file is damaged and could not be set aside; delete it, it holds nothing else",
        SqliteException sqlite => sqlite.Message,
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event claims {Path} are damaged ({Reason}); set them aside as {SetAside} and started afresh (an event delivered again in the next minutes may be answered twice)")]
    private partial void LogSetAside(string path, string reason, string setAside);
}
