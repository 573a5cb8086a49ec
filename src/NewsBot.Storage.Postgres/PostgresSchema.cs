using System.Globalization;
using Npgsql;
using NewsBot.Ingestion;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// The tables NewsBot keeps in PostgreSQL, as numbered migrations. Each process applies the missing ones
/// at start inside one transaction holding an advisory lock, so processes starting together migrate once.
/// </summary>
/// <remarks>
/// An index version is a set of source revisions. A revision (one article as read and embedded once) is
/// written before any version refers to it, so a half-written ingest is invisible; publishing is the
/// single transaction that creates the version and makes it current.
/// </remarks>
internal static class PostgresSchema
{
    /// <summary>Advisory lock keys ("NewsBot" in ASCII plus a role byte), distinct from anything else in the database.</summary>
    public const long MigrationLockKey = 0x4E657773426F7401;

    public const long IngestLockKey = 0x4E657773426F7402;

    public const string ChangeChannel = "newsbot_index";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE newsbot_versions (
            version bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            embedding_model text NOT NULL,
            dimensions integer NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE newsbot_index_state (
            id integer PRIMARY KEY CHECK (id = 1),
            current_version bigint REFERENCES newsbot_versions (version));
        INSERT INTO newsbot_index_state (id, current_version) VALUES (1, NULL);
        CREATE TABLE newsbot_revisions (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_id text NOT NULL, path text NOT NULL, content_hash text NOT NULL, title text NOT NULL,
            dek text, byline text, contributors text[] NOT NULL, text text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE newsbot_version_revisions (
            version bigint NOT NULL REFERENCES newsbot_versions (version) ON DELETE CASCADE,
            revision_id bigint NOT NULL REFERENCES newsbot_revisions (id),
            source_id text NOT NULL,
            PRIMARY KEY (version, revision_id),
            UNIQUE (version, source_id));
        CREATE INDEX newsbot_version_revisions_revision ON newsbot_version_revisions (revision_id);
        CREATE TABLE newsbot_paragraphs (
            revision_id bigint NOT NULL REFERENCES newsbot_revisions (id) ON DELETE CASCADE,
            number integer NOT NULL, kind text NOT NULL, start integer NOT NULL, "end" integer NOT NULL,
            PRIMARY KEY (revision_id, number));
        CREATE TABLE newsbot_sentences (
            revision_id bigint NOT NULL REFERENCES newsbot_revisions (id) ON DELETE CASCADE,
            idx integer NOT NULL, paragraph integer NOT NULL, start integer NOT NULL, "end" integer NOT NULL,
            vector bytea NOT NULL,
            PRIMARY KEY (revision_id, idx));
        CREATE TABLE newsbot_chunks (
            revision_id bigint NOT NULL REFERENCES newsbot_revisions (id) ON DELETE CASCADE,
            idx integer NOT NULL, first_sentence integer NOT NULL, last_sentence integer NOT NULL,
            start integer NOT NULL, "end" integer NOT NULL, token_count integer NOT NULL, vector bytea NOT NULL,
            PRIMARY KEY (revision_id, idx));
        """,
        // Each revision's analysed terms (NewsBot.Retrieval.ArticleTerms), so loading does not analyse every sentence again.
        """
        ALTER TABLE newsbot_revisions ADD COLUMN terms_analyzer text, ADD COLUMN terms text;
        """,
        // Which process answers a chat event delivered more than once (PostgresEventClaims).
        """
        CREATE TABLE newsbot_event_claims (key text PRIMARY KEY, claimed_at timestamptz NOT NULL);
        CREATE INDEX newsbot_event_claims_claimed_at ON newsbot_event_claims (claimed_at);
        """,
        // Leases on event claims: the claimant while it answers, null once it completed (and for claims made before).
        """
        ALTER TABLE newsbot_event_claims ADD COLUMN holder uuid;
        """,
        // What another process needs to answer an event whose claimant stopped before answering, and how many took it.
        """
        ALTER TABLE newsbot_event_claims ADD COLUMN payload text, ADD COLUMN attempts integer NOT NULL DEFAULT 1;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// The current version's number and publication time (which <see cref="ReadVersion"/> reads), model and dimensions; no
    /// row for an empty store. A repair counts versions on from those it finds, but tables dropped by hand count again from
    /// 1: the publication time tells that version 1 from the one before.
    /// </summary>
    public const string CurrentVersion =
        "SELECT s.current_version, v.published_at, v.embedding_model, v.dimensions FROM newsbot_index_state s JOIN newsbot_versions v ON v.version = s.current_version";

    /// <summary>
    /// Reads no rows, yet fails as the index's queries do when any of its tables or columns (those the migrations create)
    /// is missing. The version check runs it, so that the ingest lock's holder finds the damage before it writes, not
    /// only once a load happens to read what was lost.
    /// </summary>
    public const string IndexTablesPresent =
        """
        SELECT version, embedding_model, dimensions, published_at FROM newsbot_versions WHERE false;
        SELECT id, current_version FROM newsbot_index_state WHERE false;
        SELECT id, source_id, path, content_hash, title, dek, byline, contributors, text, created_at, terms_analyzer, terms FROM newsbot_revisions WHERE false;
        SELECT version, revision_id, source_id FROM newsbot_version_revisions WHERE false;
        SELECT revision_id, number, kind, start, "end" FROM newsbot_paragraphs WHERE false;
        SELECT revision_id, idx, paragraph, start, "end", vector FROM newsbot_sentences WHERE false;
        SELECT revision_id, idx, first_sentence, last_sentence, start, "end", token_count, vector FROM newsbot_chunks WHERE false
        """;

    /// <summary>The version a row of <see cref="CurrentVersion"/> names.</summary>
    public static StoredVersion ReadVersion(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetFieldValue<DateTime>(1).ToString("O", CultureInfo.InvariantCulture));

    /// <summary>Applies the migrations this database lacks; returns how many it applied.</summary>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Looking first, without the lock or any CREATE, lets a role that may only read (or a read-only standby) serve
        // an index whose schema is already current.
        if (await InstalledVersionAsync(connection, cancellationToken) == LatestVersion)
            return 0;

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@key); CREATE TABLE IF NOT EXISTS newsbot_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            connection, transaction))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM newsbot_schema", connection, transaction))
            current = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The NewsBot tables in this database are at schema version {current}; this NewsBot knows up to {LatestVersion}. Upgrade NewsBot.");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await using var command = new NpgsqlCommand(Migrations[version - 1] + ";INSERT INTO newsbot_schema (version) VALUES (@version);", connection, transaction);
            command.Parameters.AddWithValue("version", version);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return LatestVersion - current;
    }

    /// <summary>
    /// Drops every NewsBot table (whatever a damaged schema still holds of them) and migrates from nothing. All they hold is
    /// derived from the seeds folder, which the caller's ingest reads again.
    /// </summary>
    public static async Task RebuildAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Versions go on counting from the last one published, so that a follower still serving it loads the rebuilt index:
        // read from the versions, or from the state that names the current one where the versions' table is the one lost.
        long lastVersion = 0;
        foreach (var query in new[] { "SELECT coalesce(max(version), 0) FROM newsbot_versions", "SELECT coalesce(max(current_version), 0) FROM newsbot_index_state" })
        {
            try
            {
                await using var last = new NpgsqlCommand(query, connection);
                lastVersion = Math.Max(lastVersion, (long)(await last.ExecuteScalarAsync(cancellationToken))!);
            }
            catch (PostgresException e) when (PostgresErrors.IsSchemaDamage(e))
            {
            }
        }

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                take.Parameters.AddWithValue("key", MigrationLockKey);
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(
                """
                DO $$
                DECLARE t text;
                BEGIN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'newsbot\_%' LOOP
                        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t);
                    END LOOP;
                END $$;
                """, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await MigrateAsync(connection, cancellationToken);
        if (lastVersion > 0)
        {
            await using var restart = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence('newsbot_versions', 'version'), @last)", connection);
            restart.Parameters.AddWithValue("last", lastVersion);
            await restart.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<int> InstalledVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('newsbot_schema') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return 0;
        }

        await using var version = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM newsbot_schema", connection);
        return (int)(await version.ExecuteScalarAsync(cancellationToken))!;
    }
}
