using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.Scale;

public sealed class SqliteStoredIndexTests : StoredIndexTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsbot-stored-sqlite-").FullName;

    protected override Task<IIndexStore> CreateStoreAsync() =>
        Task.FromResult<IIndexStore>(new SqliteIndexStore(Path.Combine(_folder, Guid.NewGuid().ToString("N"), "newsbot.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Sentence_places_are_read_from_their_own_index_which_an_older_file_gains_at_its_first_open()
    {
        var path = Path.Combine(_folder, "places", "newsbot.db");
        var archive = Archive(["a", "b"], 5, seed: 11);
        await new SqliteIndexStore(path).ApplyAsync(new IndexChangeSet("m", Dimensions, archive, [], ReplaceAll: false));
        await ExecuteAsync(path, "DROP INDEX sentence_places");

        var store = new SqliteIndexStore(path);
        await using (var reader = await store.OpenReadAsync())
        {
            await foreach (var _ in reader.ReadAsync(StoredVectors.Chunks))
            {
            }
        }

        Assert.Equal(
            "SCAN sentences USING COVERING INDEX sentence_places",
            await ExecuteAsync(path, "EXPLAIN QUERY PLAN SELECT source_id, idx, paragraph, start, \"end\" FROM sentences ORDER BY source_id, idx", column: 3));
        Assert.Equal(archive.Select(a => a.Article.Sentences), (await StoredContents.ReadAsync(store)).Sources.Select(s => s.Article.Sentences));
    }

    private static async Task<string?> ExecuteAsync(string path, string sql, int column = 0)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && reader.FieldCount > column ? reader.GetValue(column).ToString() : null;
    }

    [Fact]
    public async Task An_index_of_the_first_schema_gains_stored_terms_and_loads_as_before()
    {
        var path = Path.Combine(_folder, "v1", "newsbot.db");
        var archive = Archive(["a", "b", "c"], 4, seed: 9);
        await new SqliteIndexStore(path).ApplyAsync(new IndexChangeSet("m", Dimensions, archive, [], ReplaceAll: false));
        await ExecuteAsync(path, "ALTER TABLE sources DROP COLUMN terms; ALTER TABLE sources DROP COLUMN terms_analyzer; UPDATE meta SET value = '1' WHERE key = 'schema_version';");

        var store = new SqliteIndexStore(path);
        var stored = await StoredContents.ReadAsync(store);
        await store.ApplyAsync(new IndexChangeSet("m", Dimensions, Archive(["d"], 4, seed: 10), [], ReplaceAll: false));
        var after = await StoredContents.ReadAsync(store);

        Assert.All(stored.Sources, s => Assert.Null(s.Terms));
        Assert.Equal(archive.Select(a => a.ChunkVectors), stored.Sources.Select(s => s.ChunkVectors));
        Assert.Equal([null, null, null, ArticleTerms.Of(after.Sources[3].Article)], after.Sources.Select(s => s.Terms));
        var factory = new IndexSnapshotFactory(Options.Create(new RetrievalOptions()));
        await using var reader = await store.OpenReadAsync();
        Assert.Equal(
            factory.Build("m", Dimensions, [.. archive, .. Archive(["d"], 4, seed: 10)]).Fingerprint,
            (await factory.LoadAsync(reader)).Fingerprint);
    }
}
