using System.Runtime.CompilerServices;
using Npgsql;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// One repeatable-read transaction over a published version: the contents first, then one row per source with its
/// paragraphs, sentences and chunks gathered into arrays (vectors concatenated), streamed in source id order.
/// </summary>
internal sealed class PostgresStoredIndexReader : IStoredIndexReader
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Func<Exception, Exception> _describe;
    private readonly Func<Exception, string, IndexStoreDamagedException> _damaged;
    private bool _read;
    private bool _disposed;

    private PostgresStoredIndexReader(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Func<Exception, Exception> describe,
        Func<Exception, string, IndexStoreDamagedException> damaged, string? model, int dimensions, StoredVersion version, IReadOnlyList<StoredSource> contents)
    {
        (_connection, _transaction, _describe, _damaged) = (connection, transaction, describe, damaged);
        (EmbeddingModelId, Dimensions, Version, Publication, Contents) = (model, dimensions, version.Number, version.Publication, contents);
    }

    public string? EmbeddingModelId { get; }

    public int Dimensions { get; }

    public long Version { get; }

    public string Publication { get; }

    public IReadOnlyList<StoredSource> Contents { get; }

    /// <summary>Begins the read on an open connection (which the reader then owns) and reads the contents.</summary>
    /// <param name="describe">Turns a store failure into the one-line error the store reports.</param>
    /// <param name="damaged">Reports an article whose rows cannot be read back (given the reason and its id).</param>
    public static async Task<PostgresStoredIndexReader> OpenAsync(
        NpgsqlConnection connection, Func<Exception, Exception> describe, Func<Exception, string, IndexStoreDamagedException> damaged, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        StoredVersion version;
        string model;
        int dimensions;
        await using (var command = new NpgsqlCommand(
            PostgresSchema.CurrentVersion, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
                return new PostgresStoredIndexReader(connection, transaction, describe, damaged, null, 0, StoredVersion.None, []);
            (version, model, dimensions) = (PostgresSchema.ReadVersion(reader), reader.GetString(2), reader.GetInt32(3));
        }

        var contents = new List<StoredSource>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT vr.source_id, r.content_hash,
                (SELECT count(*) FROM newsbot_sentences WHERE revision_id = r.id)::int,
                (SELECT count(*) FROM newsbot_chunks WHERE revision_id = r.id)::int
            FROM newsbot_version_revisions vr JOIN newsbot_revisions r ON r.id = vr.revision_id
            WHERE vr.version = @version ORDER BY vr.source_id COLLATE "C"
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("version", version.Number);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                contents.Add(new StoredSource(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return new PostgresStoredIndexReader(connection, transaction, describe, damaged, model, dimensions, version, contents);
    }

    public async IAsyncEnumerable<IndexedArticle> ReadAsync(StoredVectors vectors, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_read)
            throw new InvalidOperationException("A stored index is read once.");
        _read = true;
        if (EmbeddingModelId is null)
            yield break;
        var sentenceVectors = vectors.HasFlag(StoredVectors.Sentences) ? "string_agg(vector, ''::bytea ORDER BY idx)" : "NULL::bytea";
        var chunkVectors = vectors.HasFlag(StoredVectors.Chunks) ? "string_agg(vector, ''::bytea ORDER BY idx)" : "NULL::bytea";
        await using var command = new NpgsqlCommand(
            $"""
            SELECT r.source_id, r.path, r.content_hash, r.title, r.dek, r.byline, r.contributors, r.text, r.terms_analyzer, r.terms,
                p.numbers, p.kinds, p.starts, p.ends,
                s.indexes, s.paragraphs, s.starts, s.ends, s.vectors,
                c.indexes, c.firsts, c.lasts, c.starts, c.ends, c.tokens, c.vectors
            FROM newsbot_version_revisions vr
            JOIN newsbot_revisions r ON r.id = vr.revision_id
            CROSS JOIN LATERAL (
                SELECT array_agg(number ORDER BY number) AS numbers, array_agg(kind ORDER BY number) AS kinds,
                    array_agg(start ORDER BY number) AS starts, array_agg("end" ORDER BY number) AS ends
                FROM newsbot_paragraphs WHERE revision_id = r.id) p
            CROSS JOIN LATERAL (
                SELECT array_agg(idx ORDER BY idx) AS indexes, array_agg(paragraph ORDER BY idx) AS paragraphs,
                    array_agg(start ORDER BY idx) AS starts, array_agg("end" ORDER BY idx) AS ends, {sentenceVectors} AS vectors
                FROM newsbot_sentences WHERE revision_id = r.id) s
            CROSS JOIN LATERAL (
                SELECT array_agg(idx ORDER BY idx) AS indexes, array_agg(first_sentence ORDER BY idx) AS firsts,
                    array_agg(last_sentence ORDER BY idx) AS lasts, array_agg(start ORDER BY idx) AS starts,
                    array_agg("end" ORDER BY idx) AS ends, array_agg(token_count ORDER BY idx) AS tokens, {chunkVectors} AS vectors
                FROM newsbot_chunks WHERE revision_id = r.id) c
            WHERE vr.version = @version
            ORDER BY vr.source_id COLLATE "C"
            """, _connection, _transaction);
        command.Parameters.AddWithValue("version", Version);
        // A version is read in one go however large; no command timeout can bound that.
        command.CommandTimeout = 0;
        var reader = await Guard(() => command.ExecuteReaderAsync(cancellationToken));
        await using (reader)
        {
            while (await Guard(() => reader.ReadAsync(cancellationToken)))
                yield return ReadArticle(reader);
        }

        // Everything is read: end the read now rather than when the caller is done building.
        await Guard(async () =>
        {
            await _transaction.CommitAsync(cancellationToken);
            return true;
        });
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>The row's article, or the damage that keeps it from being read back (a vector cut short, an unknown kind).</summary>
    private IndexedArticle ReadArticle(NpgsqlDataReader r)
    {
        try
        {
            return Article(r);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException or InvalidCastException or IndexOutOfRangeException)
        {
            throw _damaged(e, r.GetString(0));
        }
    }

    private IndexedArticle Article(NpgsqlDataReader r)
    {
        var text = r.GetString(7);
        var paragraphNumbers = Ints(r, 10);
        var kinds = r.IsDBNull(11) ? [] : r.GetFieldValue<string[]>(11);
        var (paragraphStarts, paragraphEnds) = (Ints(r, 12), Ints(r, 13));
        var paragraphs = new Paragraph[paragraphNumbers.Length];
        for (var i = 0; i < paragraphs.Length; i++)
            paragraphs[i] = new Paragraph(paragraphNumbers[i], Enum.Parse<ParagraphKind>(kinds[i]), paragraphStarts[i], paragraphEnds[i]);

        var (sentenceIndexes, sentenceParagraphs, sentenceStarts, sentenceEnds) = (Ints(r, 14), Ints(r, 15), Ints(r, 16), Ints(r, 17));
        var sentences = new Sentence[sentenceIndexes.Length];
        for (var i = 0; i < sentences.Length; i++)
            sentences[i] = Sentence.In(text, sentenceIndexes[i], sentenceParagraphs[i], sentenceStarts[i], sentenceEnds[i]);

        var (chunkIndexes, firsts, lasts, chunkStarts, chunkEnds, tokens) = (Ints(r, 19), Ints(r, 20), Ints(r, 21), Ints(r, 22), Ints(r, 23), Ints(r, 24));
        var chunks = new Chunk[chunkIndexes.Length];
        for (var i = 0; i < chunks.Length; i++)
            chunks[i] = new Chunk(chunkIndexes[i], firsts[i], lasts[i], chunkStarts[i], chunkEnds[i], tokens[i]);

        var article = new Article(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetFieldValue<string[]>(6), text, paragraphs, sentences);
        return new IndexedArticle(article, chunks, Vectors(r, 18, sentences.Length, "sentence"), Vectors(r, 25, chunks.Length, "chunk"))
        {
            Terms = r.IsDBNull(8) || r.IsDBNull(9) ? null : new ArticleTerms(r.GetString(8), r.GetString(9)),
        };
    }

    private static int[] Ints(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? [] : r.GetFieldValue<int[]>(ordinal);

    /// <summary>Rows concatenated by the query back into a row-major matrix; empty when they were not asked for.</summary>
    private float[] Vectors(NpgsqlDataReader r, int ordinal, int rows, string kind)
    {
        if (r.IsDBNull(ordinal))
            return [];
        var bytes = r.GetFieldValue<byte[]>(ordinal);
        if (bytes.Length != rows * Dimensions * sizeof(float))
            throw new InvalidDataException($"its {rows} {kind} vectors hold {bytes.Length:D} bytes, not {rows * Dimensions * sizeof(float):D} for {Dimensions} dimensions");
        var matrix = new float[rows * Dimensions];
        Buffer.BlockCopy(bytes, 0, matrix, 0, bytes.Length);
        return matrix;
    }

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (PostgresErrors.IsStoreFailure(e))
        {
            throw _describe(e);
        }
    }
}
