using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// One read transaction over the SQLite index: the contents first, then every source streamed by walking four
/// queries ordered by source id side by side (sources, paragraphs, sentences, chunks), so no more than one
/// article's rows are in memory at a time.
/// </summary>
internal sealed class SqliteStoredIndexReader : IStoredIndexReader
{
    private readonly SqliteConnection _connection;
    private readonly Func<Exception, IndexStoreDamagedException> _damaged;
    private bool _read;
    private bool _disposed;

    private SqliteStoredIndexReader(
        SqliteConnection connection, Func<Exception, IndexStoreDamagedException> damaged,
        string? model, int dimensions, StoredVersion version, IReadOnlyList<StoredSource> contents)
    {
        _connection = connection;
        _damaged = damaged;
        (EmbeddingModelId, Dimensions, Version, Publication, Contents) = (model, dimensions, version.Number, version.Publication, contents);
    }

    public string? EmbeddingModelId { get; }

    public int Dimensions { get; }

    public long Version { get; }

    public string Publication { get; }

    public IReadOnlyList<StoredSource> Contents { get; }

    /// <summary>Begins the read transaction on an open connection (which the reader then owns) and reads the contents.</summary>
    public static async Task<SqliteStoredIndexReader> OpenAsync(
        SqliteConnection connection, Func<Exception, IndexStoreDamagedException> damaged, CancellationToken cancellationToken)
    {
        // One read transaction: a writer in another process cannot commit between the statements below.
        await SqliteIndexStore.ExecuteAsync(connection, "BEGIN", cancellationToken);
        var version = await SqliteIndexStore.VersionAsync(connection, cancellationToken);
        var model = await SqliteIndexStore.ScalarAsync(connection, "SELECT value FROM meta WHERE key = 'embedding_model'", cancellationToken);
        var dimensions = int.TryParse(await SqliteIndexStore.ScalarAsync(connection, "SELECT value FROM meta WHERE key = 'dimensions'", cancellationToken), out var d) ? d : 0;
        var contents = new List<StoredSource>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT s.id, s.content_hash,
                    (SELECT count(*) FROM sentences WHERE source_id = s.id), (SELECT count(*) FROM chunks WHERE source_id = s.id)
                FROM sources s ORDER BY s.id
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                contents.Add(new StoredSource(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return new SqliteStoredIndexReader(connection, damaged, model, dimensions, version, contents);
    }

    public async IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_read)
            throw new InvalidOperationException("A stored index is read once.");
        _read = true;
        var withSentenceVectors = vectors.HasFlag(StoredVectors.Sentences);
        var withChunkVectors = vectors.HasFlag(StoredVectors.Chunks);
        ArticleRows rows;
        try
        {
            rows = await QueryRowsAsync(withSentenceVectors, withChunkVectors, cancellationToken);
        }
        catch (Exception e) when (SqliteIndexStore.IsDamage(e))
        {
            // A column dropped from a table: the queries name every column they read.
            await DisposeAsync();
            throw _damaged(e);
        }

        await using var disposeRows = rows;
        while (true)
        {
            IndexedArticle? next;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                next = rows.Next();
            }
            catch (Exception e) when (SqliteIndexStore.IsDamage(e))
            {
                await DisposeAsync();
                throw _damaged(e);
            }

            if (next is null)
                break;
            yield return next;
        }

        // Everything is read: end the read transaction now rather than when the caller is done building.
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _connection.DisposeAsync();
    }

    private async Task<ArticleRows> QueryRowsAsync(bool withSentenceVectors, bool withChunkVectors, CancellationToken cancellationToken) => new(
        await QueryAsync("SELECT id, path, content_hash, title, dek, byline, contributors, text, terms_analyzer, terms FROM sources ORDER BY id", cancellationToken),
        await QueryAsync("SELECT source_id, number, kind, start, \"end\" FROM paragraphs ORDER BY source_id, number", cancellationToken),
        await QueryAsync(
            $"SELECT source_id, idx, paragraph, start, \"end\"{(withSentenceVectors ? ", vector" : "")} FROM sentences ORDER BY source_id, idx", cancellationToken),
        await QueryAsync(
            $"SELECT source_id, idx, first_sentence, last_sentence, start, \"end\", token_count{(withChunkVectors ? ", vector" : "")} FROM chunks ORDER BY source_id, idx",
            cancellationToken),
        Dimensions, withSentenceVectors, withChunkVectors);

    private async Task<QueryRows> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return new QueryRows(command, await command.ExecuteReaderAsync(cancellationToken));
    }

    /// <summary>One query's rows, ordered by source id, taken a source at a time.</summary>
    /// <remarks>SQLite reads synchronously whatever the API says: rows are read with Read, sparing a task per row.</remarks>
    private sealed class QueryRows(SqliteCommand command, SqliteDataReader reader) : IAsyncDisposable
    {
        private bool _started;
        private string? _rowId;

        public SqliteDataReader Row => reader;

        /// <summary>Moves to the first row of <paramref name="sourceId"/> if it has any; false when it has none.</summary>
        public bool Seek(string sourceId)
        {
            if (!_started)
                (_started, _rowId) = (true, Next());
            // Rows of an id before this one belong to no source (the foreign keys prevent them): skipped.
            while (_rowId is not null && SourceIdOrder.Instance.Compare(_rowId, sourceId) < 0)
                _rowId = Next();
            return _rowId == sourceId;
        }

        /// <summary>Moves on; false past the last row of <paramref name="sourceId"/>.</summary>
        public bool NextOf(string sourceId)
        {
            _rowId = Next();
            return _rowId == sourceId;
        }

        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
        }

        private string? Next() => reader.Read() ? reader.GetString(0) : null;
    }

    private sealed class ArticleRows(
        QueryRows sources, QueryRows paragraphs, QueryRows sentences, QueryRows chunks,
        int dimensions, bool withSentenceVectors, bool withChunkVectors) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var rows in new[] { sources, paragraphs, sentences, chunks })
                await rows.DisposeAsync();
        }

        private static readonly Dictionary<string, ParagraphKind> Kinds = Enum.GetValues<ParagraphKind>().ToDictionary(k => k.ToString(), StringComparer.Ordinal);

        public IndexedArticle? Next()
        {
            var source = sources.Row;
            if (!source.Read())
                return null;
            var id = source.GetString(0);
            var text = source.GetString(7);

            var paragraphList = new List<Paragraph>();
            for (var more = paragraphs.Seek(id); more; more = paragraphs.NextOf(id))
            {
                var r = paragraphs.Row;
                paragraphList.Add(new Paragraph(r.GetInt32(1), Kinds.TryGetValue(r.GetString(2), out var kind) ? kind : Enum.Parse<ParagraphKind>(r.GetString(2)), r.GetInt32(3), r.GetInt32(4)));
            }

            var sentenceRows = new List<(Sentence Sentence, byte[]? Vector)>();
            for (var more = sentences.Seek(id); more; more = sentences.NextOf(id))
            {
                var r = sentences.Row;
                var (start, end) = (r.GetInt32(3), r.GetInt32(4));
                sentenceRows.Add((Sentence.In(text, r.GetInt32(1), r.GetInt32(2), start, end), withSentenceVectors ? (byte[])r.GetValue(5) : null));
            }

            var chunkRows = new List<(Chunk Chunk, byte[]? Vector)>();
            for (var more = chunks.Seek(id); more; more = chunks.NextOf(id))
            {
                var r = chunks.Row;
                chunkRows.Add((new Chunk(r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6)), withChunkVectors ? (byte[])r.GetValue(7) : null));
            }

            var article = new Article(
                id,
                source.GetString(1),
                source.GetString(2),
                source.GetString(3),
                source.IsDBNull(4) ? null : source.GetString(4),
                source.IsDBNull(5) ? null : source.GetString(5),
                JsonSerializer.Deserialize<string[]>(source.GetString(6)) ?? [],
                text,
                paragraphList,
                [.. sentenceRows.Select(s => s.Sentence)]);
            return new IndexedArticle(
                article,
                [.. chunkRows.Select(c => c.Chunk)],
                withSentenceVectors ? Matrix(sentenceRows.Select(s => s.Vector!)) : [],
                withChunkVectors ? Matrix(chunkRows.Select(c => c.Vector!)) : [])
            {
                Terms = source.IsDBNull(8) || source.IsDBNull(9) ? null : new ArticleTerms(source.GetString(8), source.GetString(9)),
            };
        }

        private float[] Matrix(IEnumerable<byte[]> rows) => VectorBytes.Concat([.. rows], dimensions);
    }
}
