using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// The index in a PostgreSQL database shared by several NewsBot processes. Vectors are float32 bytes
/// (<c>bytea</c>) loaded into memory and searched there, so no extension is needed. One process ingests
/// at a time (a session advisory lock, released by the server when its holder dies); every change
/// publishes a new index version in one transaction and announces it with NOTIFY. Damage a read finds (an article that
/// cannot be read back, a table missing) is repaired by the ingest lock's holder: the damaged articles are left out of a
/// new version, or the tables rebuilt, and the ingest embeds again what that lost.
/// </summary>
public sealed partial class PostgresIndexStore : IIndexStore, IAsyncDisposable
{
    private const string InsufficientPrivilege = "42501";
    private const string ReadOnlyTransaction = "25006";

    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly NpgsqlDataSource _pooled;

    // Connections that must outlive a query (the ingest lock, LISTEN) are never pooled, so closing one ends its session.
    private readonly NpgsqlDataSource _dedicated;
    private readonly PostgresSchemaReadiness _schema;
    private readonly SemaphoreSlim _listenGate = new(1, 1);
    private NpgsqlConnection? _listener;

    // Set when any operation finds the server gone: the LISTEN session may look open yet belong to the server before a
    // restart, and waiting on it then would fail once more after the store is back (a second outage reported for one).
    private volatile bool _listenerSuspect;
    private IngestLock? _held;

    // The tables were rebuilt and nothing published since: rebuilding them again would not help.
    private bool _rebuiltUnpublished;
    private readonly ILogger _logger;

    public PostgresIndexStore(string connectionString, ILogger<PostgresIndexStore>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(_settings.ApplicationName))
            _settings.ApplicationName = "newsbot";
        _pooled = NpgsqlDataSource.Create(_settings);
        _dedicated = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Pooling = false, KeepAlive = 10 });
        _schema = new PostgresSchemaReadiness(_pooled);
    }

    public Task<IStoredIndexReader> OpenReadAsync(CancellationToken cancellationToken = default) => GuardAsync<IStoredIndexReader>(async () =>
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            return await PostgresStoredIndexReader.OpenAsync(connection, Describe, (e, sourceId) => PostgresErrors.Damaged(e, _settings, sourceId), cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    });

    public Task<StoredVersion> CurrentVersionAsync(CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One round trip: the version, then the check of every index table and column, whose failure is the damage.
        await using var command = new NpgsqlCommand(PostgresSchema.CurrentVersion + ";" + PostgresSchema.IndexTablesPresent, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var version = await reader.ReadAsync(cancellationToken) ? PostgresSchema.ReadVersion(reader) : StoredVersion.None;
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return version;
    });

    public Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default) => GuardWriteAsync<IAsyncDisposable?>(async () =>
    {
        // Damaged tables must not keep the lock from the ingest that repairs them: its load finds the damage again.
        await WhereTablesMayBeDamagedAsync(() => EnsureSchemaAsync(cancellationToken));
        var connection = await _dedicated.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                wait ? "SELECT true, true FROM (SELECT pg_advisory_lock(@key)) AS taken" : "SELECT true, pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", PostgresSchema.IngestLockKey);
            // Waiting lasts as long as the other ingest does, which no command timeout can bound.
            command.CommandTimeout = wait ? 0 : command.CommandTimeout;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (!reader.GetBoolean(1))
                {
                    await connection.DisposeAsync();
                    return null;
                }
            }

            // A holder killed mid-ingest leaves revisions no version refers to; the next holder removes them.
            await WhereTablesMayBeDamagedAsync(() => CleanUpAsync(connection, cancellationToken));
            return _held = new IngestLock(this, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    });

    public Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default) => GuardWriteAsync(async () =>
    {
        if (_held is { } held)
            return await ApplyCoreAsync(held.Connection, changes, cancellationToken);
        await using var ingestLock = (IngestLock)(await AcquireIngestLockAsync(wait: true, cancellationToken))!;
        return await ApplyCoreAsync(ingestLock.Connection, changes, cancellationToken);
    });

    public Task<bool> RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken = default) => GuardWriteAsync(async () =>
    {
        var connection = _held?.Connection ?? throw new InvalidOperationException("Only the holder of the ingest lock repairs the index.");
        if (damage.SourceId is null)
        {
            if (_rebuiltUnpublished)
                return false;
            await PostgresSchema.RebuildAsync(connection, cancellationToken);
            _schema.MarkReady();
            _rebuiltUnpublished = true;
            LogTablesRebuilt(_logger, PostgresErrors.Place(_settings), PostgresErrors.Reason(damage.InnerException ?? damage));
            return true;
        }

        var (damaged, model, dimensions) = await DamagedSourcesAsync(connection, damage.SourceId, cancellationToken);
        if (damaged.Count == 0)
            return false;
        var version = await ApplyCoreAsync(connection, new IndexChangeSet(model, dimensions, [], damaged, ReplaceAll: false), cancellationToken);
        LogArticlesLeftOut(_logger, PostgresErrors.Place(_settings), PostgresErrors.Reason(damage.InnerException ?? damage), string.Join(", ", damaged), version);
        return true;
    });

    /// <summary>
    /// The articles of the current version that cannot be read back: <paramref name="found"/>, which a read found, and every
    /// other whose vectors are not of the version's dimensions; with the version's model and dimensions.
    /// </summary>
    private static async Task<(List<string> SourceIds, string Model, int Dimensions)> DamagedSourcesAsync(
        NpgsqlConnection connection, string found, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT vr.source_id, v.embedding_model, v.dimensions
            FROM newsbot_index_state st
            JOIN newsbot_versions v ON v.version = st.current_version
            JOIN newsbot_version_revisions vr ON vr.version = v.version
            WHERE st.id = 1 AND (vr.source_id = @found
                OR EXISTS (SELECT 1 FROM newsbot_sentences s WHERE s.revision_id = vr.revision_id AND octet_length(s.vector) <> v.dimensions * 4)
                OR EXISTS (SELECT 1 FROM newsbot_chunks c WHERE c.revision_id = vr.revision_id AND octet_length(c.vector) <> v.dimensions * 4))
            ORDER BY vr.source_id COLLATE "C"
            """, connection);
        command.Parameters.AddWithValue("found", found);
        var damaged = new List<string>();
        var (model, dimensions) = (string.Empty, 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            damaged.Add(reader.GetString(0));
            (model, dimensions) = (reader.GetString(1), reader.GetInt32(2));
        }

        return (damaged, model, dimensions);
    }

    /// <summary>Runs a step that damaged tables make fail, leaving the damage for the load that follows to find and report.</summary>
    private static async Task WhereTablesMayBeDamagedAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (PostgresException e) when (PostgresErrors.IsSchemaDamage(e))
        {
        }
    }

    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => GuardAsync(async () =>
    {
        await _listenGate.WaitAsync(cancellationToken);
        try
        {
            if (_listenerSuspect && _listener is not null)
            {
                await _listener.DisposeAsync();
                _listener = null;
            }

            _listenerSuspect = false;
            if (_listener is null)
            {
                var listener = await _dedicated.OpenConnectionAsync(cancellationToken);
                try
                {
                    await using var command = new NpgsqlCommand($"LISTEN {PostgresSchema.ChangeChannel}", listener);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch
                {
                    await listener.DisposeAsync();
                    throw;
                }

                _listener = listener;
                return true; // changes made while not listening are found by the caller's version check
            }

            try
            {
                return await _listener.WaitAsync(timeout, cancellationToken);
            }
            catch (Exception e) when (PostgresErrors.IsStoreFailure(e) || e is InvalidOperationException)
            {
                await _listener.DisposeAsync();
                _listener = null;
                throw;
            }
        }
        finally
        {
            _listenGate.Release();
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
            await _listener.DisposeAsync();
        if (_held is not null)
            await _held.DisposeAsync();
        await _pooled.DisposeAsync();
        await _dedicated.DisposeAsync();
        _schema.Dispose();
        _listenGate.Dispose();
    }

    private async Task<long> ApplyCoreAsync(NpgsqlConnection connection, IndexChangeSet changes, CancellationToken cancellationToken)
    {
        // Revisions first, each in its own transaction: until the version below refers to them no reader sees them.
        var revisions = new List<(long Id, string SourceId)>(changes.Upserts.Count);
        foreach (var source in changes.Upserts)
            revisions.Add((await InsertRevisionAsync(connection, source, changes.Dimensions, cancellationToken), source.Article.Id));

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            WITH previous AS (SELECT current_version FROM newsbot_index_state WHERE id = 1 FOR UPDATE),
                 created AS (INSERT INTO newsbot_versions (embedding_model, dimensions) VALUES (@model, @dimensions) RETURNING version)
            SELECT (SELECT current_version FROM previous), (SELECT version FROM created)
            """, connection, transaction);
        command.Parameters.AddWithValue("model", changes.EmbeddingModelId);
        command.Parameters.AddWithValue("dimensions", changes.Dimensions);
        long? previous;
        long version;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (previous, version) = (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var publish = new NpgsqlCommand(
            """
            INSERT INTO newsbot_version_revisions (version, revision_id, source_id)
                SELECT @version, revision_id, source_id FROM newsbot_version_revisions
                WHERE version = @previous AND NOT @replaceAll AND NOT (source_id = ANY(@dropped));
            INSERT INTO newsbot_version_revisions (version, revision_id, source_id)
                SELECT @version, r, s FROM unnest(@revisions, @sources) AS added(r, s);
            UPDATE newsbot_index_state SET current_version = @version WHERE id = 1;
            SELECT pg_notify(@channel, @version::text);
            """, connection, transaction);
        publish.Parameters.AddWithValue("version", version);
        publish.Parameters.Add(new NpgsqlParameter<long?>("previous", NpgsqlDbType.Bigint) { TypedValue = previous });
        publish.Parameters.AddWithValue("replaceAll", changes.ReplaceAll);
        publish.Parameters.AddWithValue("dropped", changes.Removals.Concat(changes.Upserts.Select(u => u.Article.Id)).ToArray());
        publish.Parameters.AddWithValue("revisions", revisions.Select(r => r.Id).ToArray());
        publish.Parameters.AddWithValue("sources", revisions.Select(r => r.SourceId).ToArray());
        publish.Parameters.AddWithValue("channel", PostgresSchema.ChangeChannel);
        await publish.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _rebuiltUnpublished = false;

        await CleanUpAsync(connection, cancellationToken);
        return version;
    }

    /// <summary>
    /// Drops superseded versions and revisions no version refers to. Readers load inside a repeatable-read
    /// transaction, so one still loading a dropped version keeps seeing it until it finishes.
    /// </summary>
    private static async Task CleanUpAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM newsbot_versions WHERE version IS DISTINCT FROM (SELECT current_version FROM newsbot_index_state WHERE id = 1);
            DELETE FROM newsbot_revisions r WHERE NOT EXISTS (SELECT 1 FROM newsbot_version_revisions vr WHERE vr.revision_id = r.id);
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> InsertRevisionAsync(NpgsqlConnection connection, IndexedArticle source, int dimensions, CancellationToken cancellationToken)
    {
        var article = source.Article;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long revision;
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO newsbot_revisions (source_id, path, content_hash, title, dek, byline, contributors, text, terms_analyzer, terms)
            VALUES (@id, @path, @hash, @title, @dek, @byline, @contributors, @text, @analyzer, @terms) RETURNING id
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("id", article.Id);
            command.Parameters.AddWithValue("path", article.Path);
            command.Parameters.AddWithValue("hash", article.ContentHash);
            command.Parameters.AddWithValue("title", article.Title);
            command.Parameters.AddWithValue("dek", (object?)article.Dek ?? DBNull.Value);
            command.Parameters.AddWithValue("byline", (object?)article.Byline ?? DBNull.Value);
            command.Parameters.AddWithValue("contributors", article.Contributors.ToArray());
            command.Parameters.AddWithValue("text", article.Text);
            command.Parameters.Add(new NpgsqlParameter<string?>("analyzer", NpgsqlDbType.Text) { TypedValue = source.Terms?.Analyzer });
            command.Parameters.Add(new NpgsqlParameter<string?>("terms", NpgsqlDbType.Text) { TypedValue = source.Terms?.Lines });
            revision = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY newsbot_paragraphs (revision_id, number, kind, start, \"end\") FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var p in article.Paragraphs)
                await WriteRowAsync(copy, revision, [p.Number, p.Kind.ToString(), p.Start, p.End], cancellationToken);
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY newsbot_sentences (revision_id, idx, paragraph, start, \"end\", vector) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var s in article.Sentences)
                await WriteRowAsync(copy, revision, [s.Index, s.Paragraph, s.Start, s.End, VectorBytes.Row(source.SentenceVectors, s.Index, dimensions)], cancellationToken);
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY newsbot_chunks (revision_id, idx, first_sentence, last_sentence, start, \"end\", token_count, vector) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var c in source.Chunks)
                await WriteRowAsync(copy, revision, [c.Index, c.FirstSentence, c.LastSentence, c.Start, c.End, c.TokenCount, VectorBytes.Row(source.ChunkVectors, c.Index, dimensions)], cancellationToken);
            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return revision;
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, long revision, object[] values, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(revision, NpgsqlDbType.Bigint, cancellationToken);
        foreach (var value in values)
        {
            switch (value)
            {
                case int i:
                    await copy.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                    break;
                case string s:
                    await copy.WriteAsync(s, NpgsqlDbType.Text, cancellationToken);
                    break;
                case byte[] b:
                    await copy.WriteAsync(b, NpgsqlDbType.Bytea, cancellationToken);
                    break;
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await _pooled.OpenConnectionAsync(cancellationToken);
    }

    private Task EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    private async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (PostgresErrors.IsStoreFailure(e))
        {
            throw Describe(e);
        }
    }

    /// <summary>
    /// As <see cref="GuardAsync{T}"/>, but a server that refuses the write itself (a role granted only SELECT, a read-only
    /// standby) is told as an index that cannot be refreshed: the processes that may serve the stored index do so.
    /// </summary>
    private async Task<T> GuardWriteAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await GuardAsync(action);
        }
        catch (IndexStoreUnavailableException e) when (e.InnerException is PostgresException { SqlState: InsufficientPrivilege or ReadOnlyTransaction } refused)
        {
            var reason = refused.SqlState == ReadOnlyTransaction ? "the server is read-only" : "the role may not write";
            throw new IndexRefreshException(
                $"cannot write the index in database {_settings.Database} on PostgreSQL at {_settings.Host}:{_settings.Port} ({reason}: {refused.MessageText})", e);
        }
    }

    private Exception Describe(Exception e)
    {
        if (PostgresErrors.IsSchemaDamage(e))
            return PostgresErrors.Damaged(e, _settings);
        // After a server restart every idle pooled connection is dead: drop them all at once rather than fail on each.
        _pooled.Clear();
        _listenerSuspect = true;
        return PostgresErrors.Describe(e, _settings);
    }

    private async Task GuardAsync(Func<Task<bool>> action) => await GuardAsync<bool>(action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index tables in {Place} were damaged ({Reason}): rebuilt them empty, embedding every article again from the seeds folder")]
    private static partial void LogTablesRebuilt(ILogger logger, string place, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index in {Place} was damaged ({Reason}): left {SourceIds} out of index version {Version}, embedding them again from the seeds folder")]
    private static partial void LogArticlesLeftOut(ILogger logger, string place, string reason, string sourceIds, long version);

    /// <summary>The session advisory lock; the server releases it by itself if this process dies.</summary>
    private sealed class IngestLock(PostgresIndexStore store, NpgsqlConnection connection) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            if (ReferenceEquals(store._held, this))
                store._held = null;
            // Closing the unpooled connection ends the session, which releases the lock even if the unlock cannot be sent.
            await connection.DisposeAsync();
        }
    }
}
