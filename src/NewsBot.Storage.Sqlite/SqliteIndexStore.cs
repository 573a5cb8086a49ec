using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The index in one SQLite file: sources, paragraphs, sentences and chunks with their vectors as
/// float BLOBs, and the embedding model id. Each change set is one transaction that also counts up the
/// index version; the ingest lock is an OS lock on a file beside the database, so it dies with its holder.
/// The index is derived from the seeds folder, so a damaged file is set aside (renamed, never deleted) by the ingest lock's
/// holder (<see cref="RepairAsync"/>), whose reload then rebuilds it; any other process that finds the damage reports it
/// and keeps serving what it holds, as it would on a damaged shared store.
/// </summary>
public sealed partial class SqliteIndexStore : IIndexStore
{
    private const int SchemaVersion = 2;
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(200);
    private const int SqlitePermission = 3;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;
    private const int SharingViolation = 32;
    private const int WouldBlockLinux = 11;
    private const int WouldBlockBsd = 35;
    private static readonly string[] Tables = ["meta", "sources", "paragraphs", "sentences", "chunks"];
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    // The highest index version this process read or published: a file set aside goes on counting from it when its own
    // count cannot be read any more.
    private long _lastVersionSeen;

    public SqliteIndexStore(string databasePath, ILogger<SqliteIndexStore>? logger = null, TimeProvider? time = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task<IStoredIndexReader> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        // Nothing stored yet: create nothing either (a failed first run leaves no empty data/ folder).
        if (!File.Exists(DatabasePath))
            return EmptyStoredIndex.Instance;
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenForReadAsync(cancellationToken);
            var reader = await SqliteStoredIndexReader.OpenAsync(connection, Damaged, cancellationToken);
            Saw(reader.Version);
            return reader;
        }
        catch (Exception e) when (IsDamage(e))
        {
            if (connection is not null)
                await connection.DisposeAsync();
            throw Damaged(e);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a read; when the folder or file cannot be written (SQLite's WAL mode needs to create files beside the
    /// database even to read), reads read-only instead, so an intact index in a read-only folder can still be served.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenForReadAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    private async Task<SqliteConnection> OpenForReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(cancellationToken);
        }
        catch (Exception e) when (IsWriteRefusal(e))
        {
            return await OpenReadOnlyAsync(cancellationToken);
        }
    }

    private async Task<SqliteConnection> OpenReadOnlyAsync(CancellationToken cancellationToken)
    {
        // Without a shared-memory file no other connection is open, and none can open one for writing in this folder
        // either; only then may SQLite treat the file as immutable, which is how it reads WAL mode without creating files.
        var immutable = !File.Exists(DatabasePath + "-shm");
        var uri = new Uri(DatabasePath).AbsoluteUri + (immutable ? "?immutable=1" : string.Empty);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = uri,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static bool IsWriteRefusal(Exception e) =>
        e is UnauthorizedAccessException
            || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException)
            || e is SqliteException { SqliteErrorCode: SqlitePermission or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCannotOpen };

    /// <summary>What to tell the user about a write the folder refused: it names the folder.</summary>
    private IndexRefreshException WriteRefused(Exception e)
    {
        var reason = e is SqliteException sqlite ? sqlite.SqliteErrorCode switch
        {
            SqliteReadOnly or SqlitePermission or SqliteCannotOpen => "it is read-only",
            SqliteFull => "the disk is full",
            _ => sqlite.Message,
        } : IndexRefreshException.Reason(e);
        return new IndexRefreshException($"cannot write the index in {Path.GetDirectoryName(DatabasePath)} ({reason})", e);
    }

    /// <summary>The damage <paramref name="e"/> found, for the caller to report or, holding the ingest lock, to repair.</summary>
    private IndexStoreDamagedException Damaged(Exception e) =>
        new($"The index {DatabasePath} is damaged ({e.Message.TrimEnd('.')}); an ingest (newsbot ingest, with the seeds folder) sets it aside and rebuilds it.", e);

    internal static bool IsDamage(Exception e) =>
        SqliteDamagedFile.IsDamage(e) || e is InvalidCastException or FormatException or ArgumentException or JsonException or InvalidDataException;

    /// <summary>
    /// Sets the damaged file aside with one warning: what the ingest reads next is an empty store, which it fills again.
    /// Only here, under the ingest lock: a follower that set it aside would serve that empty store as the index, and two
    /// processes finding the damage at once would each set a file aside, the second perhaps the leader's new one.
    /// The new file goes on counting versions from the damaged one's: a follower compares the version it serves with the
    /// store's, and one still serving version 3 would take the rebuilt file's own version 3 for the index it holds.
    /// </summary>
    public async Task<bool> RepairAsync(IndexStoreDamagedException damage, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(DatabasePath))
            return false;
        var lastVersion = Math.Max(Interlocked.Read(ref _lastVersionSeen), await VersionOfDamagedFileAsync(cancellationToken));
        var setAside = SqliteDamagedFile.SetAside(DatabasePath, _time);
        LogSetAside(_logger, DatabasePath, (damage.InnerException ?? damage).Message, setAside);
        if (lastVersion > 0)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                await SetMetaAsync(connection, "versions_before", lastVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            }
            catch (Exception e) when (IsWriteRefusal(e))
            {
                throw WriteRefused(e);
            }
        }

        return true;
    }

    /// <summary>The last version the damaged file published, where it can still be read; 0 where not.</summary>
    private async Task<long> VersionOfDamagedFileAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Read-only: the damaged file is set aside as it was found.
            await using var connection = await OpenReadOnlyAsync(cancellationToken);
            return await LastVersionAsync(connection, cancellationToken);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    public async Task<StoredVersion> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await ReadAsync(VersionAsync, cancellationToken);
            Saw(version.Number);
            return version;
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(e);
        }
    }

    public async Task<IAsyncDisposable?> AcquireIngestLockAsync(bool wait, CancellationToken cancellationToken = default)
    {
        var path = DatabasePath + ".ingest-lock";
        while (true)
        {
            FileStream held;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // FileShare.None is an exclusive OS lock on Unix and Windows alike, released when the process dies.
                held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (IsHeldElsewhere(e, path))
            {
                if (!wait)
                    return null;
                await Task.Delay(LockPollInterval, _time, cancellationToken);
                continue;
            }
            catch (Exception e) when (IsWriteRefusal(e))
            {
                throw WriteRefused(e);
            }

            try
            {
                // The lock is taken to write: find out now, not after minutes of embedding, whether the index can be written.
                await EnsureWritableAsync(cancellationToken);
                return held;
            }
            catch (Exception e)
            {
                await held.DisposeAsync();
                if (IsWriteRefusal(e))
                    throw WriteRefused(e);
                throw;
            }
        }
    }

    /// <summary>A sharing violation on an existing lock file: another process holds it (any other failure is the folder's).</summary>
    private static bool IsHeldElsewhere(IOException e, string path) =>
        // On Unix the HResult is the errno of the refused flock (EWOULDBLOCK), on Windows ERROR_SHARING_VIOLATION.
        File.Exists(path) && (e.HResult is WouldBlockLinux or WouldBlockBsd || (e.HResult & 0xFFFF) == SharingViolation);

    /// <summary>Takes and drops SQLite's write lock (its WAL mode also creates files beside the database to do so).</summary>
    private async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        // No database yet: the folder just took the lock file, and creating the database is the first write.
        if (!File.Exists(DatabasePath))
            return;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
            await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
        }
        catch (Exception e) when (IsDamage(e))
        {
            // The load that follows finds the damage and repairs it (sets the file aside), and the rebuild writes a new one.
        }
    }

    /// <summary>SQLite cannot notify another process: followers check every <paramref name="timeout"/>.</summary>
    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.Delay(timeout, _time, cancellationToken);

    /// <summary>
    /// The current version: its number, and the id its publication wrote (empty in a file from before publication ids).
    /// A file deleted and ingested again counts from 1 again; the id tells its version 1 from the deleted file's.
    /// </summary>
    internal static async Task<StoredVersion> VersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // One statement, so that outside a read transaction the two come from the same publication.
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT max(CASE key WHEN 'index_version' THEN value END), coalesce(max(CASE key WHEN 'publication' THEN value END), '')
            FROM meta WHERE key IN ('index_version', 'publication')
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return !reader.IsDBNull(0) && long.TryParse(reader.GetString(0), out var number) ? new StoredVersion(number, reader.GetString(1)) : StoredVersion.None;
    }

    /// <summary>The version published last, in this file or (after a repair) in the one it replaced; 0 for none.</summary>
    private static async Task<long> LastVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key IN ('index_version', 'versions_before')";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private void Saw(long version)
    {
        for (var seen = Interlocked.Read(ref _lastVersionSeen); version > seen; seen = Interlocked.Read(ref _lastVersionSeen))
        {
            if (Interlocked.CompareExchange(ref _lastVersionSeen, version, seen) == seen)
                return;
        }
    }

    public async Task<long> ApplyAsync(IndexChangeSet changes, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ApplyCoreAsync(changes, cancellationToken);
        }
        catch (Exception e) when (IsWriteRefusal(e))
        {
            throw WriteRefused(e);
        }
    }

    private async Task<long> ApplyCoreAsync(IndexChangeSet changes, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // A raw BEGIN lets every helper create plain commands; closing the connection without COMMIT rolls back.
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
        if (changes.ReplaceAll)
        {
            foreach (var table in new[] { "chunks", "sentences", "paragraphs", "sources" })
                await ExecuteAsync(connection, $"DELETE FROM {table}", cancellationToken);
        }

        foreach (var id in changes.Removals.Concat(changes.Upserts.Select(u => u.Article.Id)))
            await DeleteSourceAsync(connection, id, cancellationToken);

        foreach (var source in changes.Upserts)
            await InsertSourceAsync(connection, source, changes.Dimensions, cancellationToken);

        await SetMetaAsync(connection, "embedding_model", changes.EmbeddingModelId, cancellationToken);
        await SetMetaAsync(connection, "dimensions", changes.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        var version = await LastVersionAsync(connection, cancellationToken) + 1;
        await SetMetaAsync(connection, "index_version", version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await SetMetaAsync(connection, "publication", Guid.NewGuid().ToString("N"), cancellationToken);
        await ExecuteAsync(connection, "COMMIT", CancellationToken.None);
        Saw(version);
        return version;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var complete = await CheckTablesAsync(connection, cancellationToken);
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA foreign_keys = ON;
            """, cancellationToken);
        // Only a new file (or one without the index below) is given its schema: run on every open, the statements raced a
        // table dropped just after the check, which they created again empty, and the damage went unnoticed.
        if (!complete)
            await CreateSchemaAsync(connection, cancellationToken);
        var version = await ScalarAsync(connection, "SELECT value FROM meta WHERE key = 'schema_version'", cancellationToken);
        if (version is null)
            await SetMetaAsync(connection, "schema_version", SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        else if (version == "1")
            await MigrateFromVersion1Async(connection, cancellationToken);
        else if (version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"The index at {DatabasePath} has schema version {version}; this NewsBot reads version {SchemaVersion}. Delete the file to rebuild it.");
        return connection;
    }

    private static Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS sources (
                id TEXT PRIMARY KEY, path TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT NOT NULL,
                dek TEXT, byline TEXT, contributors TEXT NOT NULL, text TEXT NOT NULL, indexed_at TEXT NOT NULL,
                terms_analyzer TEXT, terms TEXT);
            CREATE TABLE IF NOT EXISTS paragraphs (
                source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE, number INTEGER NOT NULL,
                kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, PRIMARY KEY (source_id, number));
            CREATE TABLE IF NOT EXISTS sentences (
                source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                paragraph INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, vector BLOB NOT NULL,
                PRIMARY KEY (source_id, idx));
            CREATE TABLE IF NOT EXISTS chunks (
                source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
                first_sentence INTEGER NOT NULL, last_sentence INTEGER NOT NULL, start INTEGER NOT NULL,
                "end" INTEGER NOT NULL, token_count INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (source_id, idx));
            -- A load past the threshold reads every sentence's place but not its vector: from this index alone it skips the
            -- vectors that fill the table's pages (a million sentences: 40 MB read instead of 1.5 GB). An older file gets it
            -- at its first open by this version, once (seconds for a million sentences); older versions read the file as before.
            CREATE INDEX IF NOT EXISTS sentence_places ON sentences (source_id, idx, paragraph, start, "end");
            """, cancellationToken);

    /// <summary>
    /// Whether the file has its whole schema (every table and the sentence_places index); false for a new file. A table
    /// dropped from an index would be created again empty and go unnoticed (articles served without their sentences or
    /// chunks, and never embedded again, as their files did not change): a file that holds some of the tables but not all
    /// is damaged.
    /// </summary>
    private static async Task<bool> CheckTablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                present.Add(reader.GetString(0));
        }

        var missing = Tables.Where(t => !present.Contains(t)).ToList();
        if (missing.Count > 0 && missing.Count < Tables.Length)
            throw new InvalidDataException($"its table{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} {(missing.Count > 1 ? "are" : "is")} missing");
        return missing.Count == 0 && present.Contains("sentence_places");
    }

    /// <summary>Version 2 stores each source's analysed terms; sources stored before have none and are analysed at load.</summary>
    private static async Task MigrateFromVersion1Async(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
        // Another process may have migrated between the check and the lock.
        if (await ScalarAsync(connection, "SELECT value FROM meta WHERE key = 'schema_version'", cancellationToken) == "1")
        {
            await ExecuteAsync(connection, "ALTER TABLE sources ADD COLUMN terms_analyzer TEXT; ALTER TABLE sources ADD COLUMN terms TEXT;", cancellationToken);
            await SetMetaAsync(connection, "schema_version", "2", cancellationToken);
        }

        await ExecuteAsync(connection, "COMMIT", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index {Path} is damaged ({Reason}); set it aside as {SetAside} and rebuilding it from the seeds folder")]
    private static partial void LogSetAside(ILogger logger, string path, string reason, string setAside);

    private static async Task InsertSourceAsync(SqliteConnection connection, IndexedArticle source, int dimensions, CancellationToken cancellationToken)
    {
        var article = source.Article;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO sources (id, path, content_hash, title, dek, byline, contributors, text, indexed_at, terms_analyzer, terms)
                VALUES ($id, $path, $hash, $title, $dek, $byline, $contributors, $text, $at, $analyzer, $terms)
                """;
            command.Parameters.AddWithValue("$id", article.Id);
            command.Parameters.AddWithValue("$path", article.Path);
            command.Parameters.AddWithValue("$hash", article.ContentHash);
            command.Parameters.AddWithValue("$title", article.Title);
            command.Parameters.AddWithValue("$dek", (object?)article.Dek ?? DBNull.Value);
            command.Parameters.AddWithValue("$byline", (object?)article.Byline ?? DBNull.Value);
            command.Parameters.AddWithValue("$contributors", JsonSerializer.Serialize(article.Contributors));
            command.Parameters.AddWithValue("$text", article.Text);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            command.Parameters.AddWithValue("$analyzer", (object?)source.Terms?.Analyzer ?? DBNull.Value);
            command.Parameters.AddWithValue("$terms", (object?)source.Terms?.Lines ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO paragraphs VALUES ($s, $n, $k, $a, $b)";
            var (s, n, k, a, b) = (command.Parameters.Add("$s", SqliteType.Text), command.Parameters.Add("$n", SqliteType.Integer),
                command.Parameters.Add("$k", SqliteType.Text), command.Parameters.Add("$a", SqliteType.Integer), command.Parameters.Add("$b", SqliteType.Integer));
            s.Value = article.Id;
            foreach (var p in article.Paragraphs)
            {
                (n.Value, k.Value, a.Value, b.Value) = (p.Number, p.Kind.ToString(), p.Start, p.End);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO sentences VALUES ($s, $i, $p, $a, $b, $v)";
            var (s, i, p, a, b, v) = (command.Parameters.Add("$s", SqliteType.Text), command.Parameters.Add("$i", SqliteType.Integer),
                command.Parameters.Add("$p", SqliteType.Integer), command.Parameters.Add("$a", SqliteType.Integer),
                command.Parameters.Add("$b", SqliteType.Integer), command.Parameters.Add("$v", SqliteType.Blob));
            s.Value = article.Id;
            foreach (var sentence in article.Sentences)
            {
                (i.Value, p.Value, a.Value, b.Value) = (sentence.Index, sentence.Paragraph, sentence.Start, sentence.End);
                v.Value = VectorBytes.Row(source.SentenceVectors, sentence.Index, dimensions);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO chunks VALUES ($s, $i, $f, $l, $a, $b, $t, $v)";
            var (s, i, f, l, a, b, t, v) = (command.Parameters.Add("$s", SqliteType.Text), command.Parameters.Add("$i", SqliteType.Integer),
                command.Parameters.Add("$f", SqliteType.Integer), command.Parameters.Add("$l", SqliteType.Integer),
                command.Parameters.Add("$a", SqliteType.Integer), command.Parameters.Add("$b", SqliteType.Integer),
                command.Parameters.Add("$t", SqliteType.Integer), command.Parameters.Add("$v", SqliteType.Blob));
            s.Value = article.Id;
            foreach (var chunk in source.Chunks)
            {
                (i.Value, f.Value, l.Value, a.Value, b.Value, t.Value) = (chunk.Index, chunk.FirstSentence, chunk.LastSentence, chunk.Start, chunk.End, chunk.TokenCount);
                v.Value = VectorBytes.Row(source.ChunkVectors, chunk.Index, dimensions);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static async Task DeleteSourceAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sources WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task SetMetaAsync(SqliteConnection connection, string key, string value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<string?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
