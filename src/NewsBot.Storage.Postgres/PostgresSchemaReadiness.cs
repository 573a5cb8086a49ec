using Npgsql;

namespace NewsBot.Storage.Postgres;

/// <summary>Brings the database's schema up to date once per store instance, at its first use (see <see cref="PostgresSchema"/>).</summary>
internal sealed class PostgresSchemaReadiness(NpgsqlDataSource dataSource) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ready))
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
                return;
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await PostgresSchema.MigrateAsync(connection, cancellationToken);
            Volatile.Write(ref _ready, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>For a caller that brought the schema up to date itself (a rebuild).</summary>
    public void MarkReady() => Volatile.Write(ref _ready, true);

    public void Dispose() => _gate.Dispose();
}
