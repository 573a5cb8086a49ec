using Microsoft.Data.Sqlite;

namespace NewsBot.Tests.MultiProcess;

/// <summary>The shared-store suite on one SQLite file (file lock for ingests, version polling for followers).</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class SqliteSharedStoreTests : SharedStoreTests
{
    private string IndexPath => Path.Combine(Leader.Root, "data", "shared.db");

    protected override Task<Dictionary<string, string>> CreateStoreAsync() =>
        Task.FromResult(new Dictionary<string, string>
        {
            ["NEWSBOT__Storage__Provider"] = "sqlite",
            ["NEWSBOT__Storage__IndexPath"] = IndexPath,
        });

    protected override Task DamageAVectorAsync() => ExecuteAsync("UPDATE sentences SET vector = x'0011' WHERE idx = 3");

    protected override Task DropTheChunksTableAsync() => ExecuteAsync("DROP TABLE chunks");

    protected override Task DropTheVersionTableAsync() => ExecuteAsync("DROP TABLE meta");

    protected override Task DeleteTheStoreAsync()
    {
        foreach (var file in new[] { IndexPath, IndexPath + "-wal", IndexPath + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={IndexPath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(await command.ExecuteNonQueryAsync() > 0 || sql.StartsWith("DROP", StringComparison.Ordinal));
    }
}
