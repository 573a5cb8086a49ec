using Npgsql;
using NewsBot.Chat;
using NewsBot.Storage.Postgres;

namespace NewsBot.Tests.MultiProcess;

/// <summary>Event claims in PostgreSQL (table newsbot_event_claims, created by the migrations), and what an unreachable server does.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class PostgresEventClaimsTests(PostgresServer server) : EventClaimsTests
{
    private string _connectionString = string.Empty;

    public override async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    protected override IEventClaims Open(TimeProvider time) => new PostgresEventClaims(_connectionString, time, Options);

    protected override int CleanupBatch => PostgresEventClaims.CleanupBatch;

    protected override async Task<long> CountStoredAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM newsbot_event_claims", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_unreachable_server_or_a_refused_login_is_one_line_naming_the_setting_and_never_the_password()
    {
        var nothingListens = new NpgsqlConnectionStringBuilder(_connectionString) { Port = FreePort(), Timeout = 5 }.ConnectionString;
        await using var unreachable = new PostgresEventClaims(nothingListens);
        var down = await Assert.ThrowsAsync<EventClaimsUnavailableException>(async () => await unreachable.TryClaimAsync("test:k"));

        await using var refused = new PostgresEventClaims(server.ConnectionString(new NpgsqlConnectionStringBuilder(_connectionString).Database!, "wrong-" + PostgresServer.Password));
        var login = await Assert.ThrowsAsync<EventClaimsUnavailableException>(async () => await refused.TryClaimAsync("test:k"));

        Assert.Contains("cannot reach PostgreSQL at 127.0.0.1", down.Message, StringComparison.Ordinal);
        Assert.Contains("refused the login", login.Message, StringComparison.Ordinal);
        foreach (var e in new[] { down, login })
        {
            Assert.Contains("Storage:ConnectionString", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public async Task The_claims_table_comes_with_the_migrations_so_a_role_that_may_only_read_gets_a_clear_refusal()
    {
        Assert.NotNull(await Process().TryClaimAsync("test:k"));
        var readOnly = await server.ReadOnlyConnectionStringAsync(new NpgsqlConnectionStringBuilder(_connectionString).Database!);
        await using var reader = new PostgresEventClaims(readOnly);

        var refused = await Assert.ThrowsAsync<EventClaimsUnavailableException>(async () => await reader.TryClaimAsync("test:k2"));

        Assert.Contains("lacks a privilege", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountStoredAsync());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
