using NewsBot.Ingestion;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.MultiProcess;

namespace NewsBot.Tests.Scale;

[Collection(MultiProcessCollection.Name)]
public sealed class PostgresStoredIndexTests(PostgresServer server) : StoredIndexTests
{
    private readonly List<PostgresIndexStore> _stores = [];

    protected override async Task<IIndexStore> CreateStoreAsync()
    {
        var store = new PostgresIndexStore(await server.CreateDatabaseAsync());
        _stores.Add(store);
        return store;
    }

    public override async Task DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        await base.DisposeAsync();
    }
}
