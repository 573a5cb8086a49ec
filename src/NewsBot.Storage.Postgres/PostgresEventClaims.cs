using Npgsql;
using NewsBot.Chat;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Event claims in the PostgreSQL database the index lives in (table <c>newsbot_event_claims</c>, created by the
/// migrations), so that every process on that database answers an event once: the first INSERT of a key wins, and a
/// claim older than the keep time may be taken anew. Each process deletes expired claims now and then, a bounded
/// batch at a time, so the table holds about an hour of questions.
/// </summary>
public sealed class PostgresEventClaims : IEventClaims, IAsyncDisposable
{
    public const int CleanupBatch = 1000;
    private const int MaxConnections = 8;
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _keepFor;
    private readonly PostgresSchemaReadiness _schema;
    private long _nextCleanupTicks;

    public PostgresEventClaims(string connectionString, TimeProvider? time = null, TimeSpan? keepFor = null)
    {
        _settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(_settings.ApplicationName))
            _settings.ApplicationName = "newsbot";
        // Front ends claim one event at a time; a burst from elsewhere waits for a connection rather than use up the server's.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_settings.ConnectionString)
        {
            MaxPoolSize = Math.Min(_settings.MaxPoolSize, MaxConnections),
            MinPoolSize = Math.Min(_settings.MinPoolSize, MaxConnections),
        });
        _schema = new PostgresSchemaReadiness(_dataSource);
        _time = time ?? TimeProvider.System;
        _keepFor = keepFor ?? IEventClaims.DefaultKeepFor;
    }

    public async ValueTask<bool> TryClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await _schema.EnsureAsync(cancellationToken);
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var expired = now - _keepFor;
            if (now.UtcTicks >= Volatile.Read(ref _nextCleanupTicks))
                await CleanUpAsync(connection, now, expired, cancellationToken);

            await using var command = new NpgsqlCommand(
                """
                INSERT INTO newsbot_event_claims (key, claimed_at) VALUES (@key, @now)
                ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE newsbot_event_claims.claimed_at <= @expired
                RETURNING true
                """, connection);
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("expired", expired);
            // No row comes back when the key is held: the conflict's update is skipped.
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (Exception e) when (PostgresErrors.IsStoreFailure(e))
        {
            // After a server restart every idle pooled connection is dead.
            _dataSource.Clear();
            throw new EventClaimsUnavailableException(PostgresErrors.Describe(e, _settings).Message, e);
        }
    }

    /// <summary>Deletes up to <see cref="CleanupBatch"/> expired claims; a full batch makes the next claim clean up again.</summary>
    private async Task CleanUpAsync(NpgsqlConnection connection, DateTimeOffset now, DateTimeOffset expired, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM newsbot_event_claims WHERE key IN (
                SELECT key FROM newsbot_event_claims WHERE claimed_at <= @expired ORDER BY claimed_at LIMIT @batch FOR UPDATE SKIP LOCKED)
            """, connection);
        command.Parameters.AddWithValue("expired", expired);
        command.Parameters.AddWithValue("batch", CleanupBatch);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        Volatile.Write(ref _nextCleanupTicks, deleted < CleanupBatch ? (now + CleanupInterval).UtcTicks : now.UtcTicks);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _schema.Dispose();
    }
}
