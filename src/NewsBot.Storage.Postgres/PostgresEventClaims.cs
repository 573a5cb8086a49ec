using Npgsql;
using NewsBot.Chat;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Event claims in the PostgreSQL database the index lives in (table <c>newsbot_event_claims</c>, created by the
/// migrations), so that every process on that database answers an event once. A row's <c>holder</c> is its claimant
/// while it answers, and <c>claimed_at</c> when it claimed or last renewed: the row holds for the lease. Completing
/// clears the holder and restarts <c>claimed_at</c>: the row then holds for the keep time. Each claim is one statement, so of two processes
/// racing for a new key, or for one whose lease ran out, exactly one wins. Each process deletes expired claims now and
/// then, a bounded batch at a time, so the table holds about an hour of questions.
/// </summary>
public sealed class PostgresEventClaims : IEventClaims, IAsyncDisposable
{
    public const int CleanupBatch = 1000;
    private const int MaxConnections = 8;
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _keepFor;
    private readonly PostgresSchemaReadiness _schema;
    private long _nextCleanupTicks;

    public PostgresEventClaims(string connectionString, TimeProvider? time = null, EventClaimsOptions? options = null)
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
        options ??= new EventClaimsOptions();
        (_lease, _keepFor) = (options.Lease, options.KeepFor);
    }

    public async ValueTask<EventClaim?> TryClaimAsync(string key, string? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var claim = EventClaim.New(key);
        return await RunAsync(async (connection, now) =>
        {
            if (now.UtcTicks >= Volatile.Read(ref _nextCleanupTicks))
                await CleanUpAsync(connection, now, cancellationToken);

            // A held key skips the conflict's update, and no row comes back. A claim from before leases has no holder: completed.
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO newsbot_event_claims (key, claimed_at, holder, payload, attempts) VALUES (@key, @now, @holder, @payload, 1)
                ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, holder = excluded.holder, payload = excluded.payload,
                    attempts = CASE WHEN newsbot_event_claims.holder IS NULL THEN 1 ELSE newsbot_event_claims.attempts + 1 END
                WHERE newsbot_event_claims.claimed_at <= CASE WHEN newsbot_event_claims.holder IS NULL THEN @kept ELSE @leased END
                RETURNING true
                """, connection);
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("holder", claim.Holder);
            command.Parameters.Add(new NpgsqlParameter<string?>("payload", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = payload });
            command.Parameters.AddWithValue("kept", now - _keepFor);
            command.Parameters.AddWithValue("leased", now - _lease);
            return await command.ExecuteScalarAsync(cancellationToken) is true ? claim : null;
        }, cancellationToken);
    }

    public async ValueTask<bool> RenewAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await StampHeldAsync(claim, "claimed_at = @now", cancellationToken) > 0;

    public async ValueTask CompleteAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await StampHeldAsync(claim, "holder = NULL, claimed_at = @now, payload = NULL", cancellationToken);

    /// <summary>Sets <paramref name="assignments"/> (which may use <c>@now</c>) on the claim's row while its holder still holds it; the rows changed.</summary>
    private Task<int> StampHeldAsync(EventClaim claim, string assignments, CancellationToken cancellationToken) =>
        RunHeldAsync(claim, $"UPDATE newsbot_event_claims SET {assignments} WHERE key = @key AND holder = @holder", cancellationToken);

    public async ValueTask ReleaseAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await RunHeldAsync(claim, "DELETE FROM newsbot_event_claims WHERE key = @key AND holder = @holder", cancellationToken);

    // Back-dated to the end of its lease rather than deleted, so that the claim goes on holding the event against a
    // re-delivery until another claimant takes it over.
    public async ValueTask AbandonAsync(EventClaim claim, CancellationToken cancellationToken = default) =>
        await RunHeldAsync(claim, """
            UPDATE newsbot_event_claims SET claimed_at = @leased WHERE key = @key AND holder = @holder AND payload IS NOT NULL;
            DELETE FROM newsbot_event_claims WHERE key = @key AND holder = @holder AND payload IS NULL;
            """, cancellationToken);

    public async ValueTask<IReadOnlyList<AbandonedEvent>> TakeOverAbandonedAsync(string keyPrefix, int maxAttempts, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        var holder = Guid.NewGuid();
        return await RunAsync(async (connection, now) =>
        {
            // SKIP LOCKED: of two processes looking at once, each takes other events rather than wait for the first; the
            // conditions are checked again on the row as locked, for one the other took after this one's look.
            await using var command = new NpgsqlCommand(
                """
                UPDATE newsbot_event_claims c SET holder = @holder, claimed_at = @now, attempts = c.attempts + 1
                FROM (
                    SELECT key FROM newsbot_event_claims
                    WHERE payload IS NOT NULL AND holder IS NOT NULL AND claimed_at <= @leased AND attempts < @maxAttempts
                        AND starts_with(key, @prefix)
                    ORDER BY claimed_at LIMIT @max
                    FOR UPDATE SKIP LOCKED) abandoned
                WHERE c.key = abandoned.key AND c.holder IS NOT NULL AND c.claimed_at <= @leased
                RETURNING c.key, c.payload, c.attempts
                """, connection);
            command.Parameters.AddWithValue("holder", holder);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("leased", now - _lease);
            command.Parameters.AddWithValue("maxAttempts", maxAttempts);
            command.Parameters.AddWithValue("prefix", keyPrefix);
            command.Parameters.AddWithValue("max", max);
            var taken = new List<AbandonedEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                taken.Add(new AbandonedEvent(new EventClaim(reader.GetString(0), holder), reader.GetString(1), reader.GetInt32(2)));
            return (IReadOnlyList<AbandonedEvent>)taken;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> with the claim's <c>@key</c> and <c>@holder</c>, <c>@now</c>, and <c>@leased</c> (a claim made then has just reached the end of its lease); the rows changed.</summary>
    private Task<int> RunHeldAsync(EventClaim claim, string sql, CancellationToken cancellationToken) =>
        RunAsync(async (connection, now) =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("key", claim.Key);
            command.Parameters.AddWithValue("holder", claim.Holder);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("leased", now - _lease);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, DateTimeOffset, Task<T>> statement, CancellationToken cancellationToken)
    {
        try
        {
            await _schema.EnsureAsync(cancellationToken);
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await statement(connection, _time.GetUtcNow());
        }
        catch (Exception e) when (PostgresErrors.IsStoreFailure(e))
        {
            // After a server restart every idle pooled connection is dead.
            _dataSource.Clear();
            throw new EventClaimsUnavailableException(PostgresErrors.Describe(e, _settings).Message, e);
        }
    }

    /// <summary>
    /// Deletes up to <see cref="CleanupBatch"/> claims past the keep time (completed or not: a lease is shorter); a full
    /// batch makes the next claim clean up again.
    /// </summary>
    private async Task CleanUpAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM newsbot_event_claims WHERE key IN (
                SELECT key FROM newsbot_event_claims WHERE claimed_at <= @expired ORDER BY claimed_at LIMIT @batch FOR UPDATE SKIP LOCKED)
            """, connection);
        command.Parameters.AddWithValue("expired", now - _keepFor);
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
