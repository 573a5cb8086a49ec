namespace NewsBot.Tests.MultiProcess;

/// <summary>The shared-store suite on one SQLite file (file lock for ingests, version polling for followers).</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class SqliteSharedStoreTests : SharedStoreTests
{
    protected override Task<Dictionary<string, string>> CreateStoreAsync() =>
        Task.FromResult(new Dictionary<string, string>
        {
            ["NEWSBOT__Storage__Provider"] = "sqlite",
            ["NEWSBOT__Storage__IndexPath"] = Path.Combine(Leader.Root, "data", "shared.db"),
        });
}
