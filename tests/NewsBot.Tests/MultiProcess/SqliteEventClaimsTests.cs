using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Chat;
using NewsBot.Storage.Sqlite;
using NewsBot.Testing.Logging;

namespace NewsBot.Tests.MultiProcess;

/// <summary>Event claims in a SQLite file beside the index, shared by the processes on one machine.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class SqliteEventClaimsTests : EventClaimsTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("newsbot-claims-");

    private string ClaimsPath => SqliteEventClaims.PathBeside(Path.Combine(_folder.FullName, "data", "newsbot.db"));

    public override Task InitializeAsync() => Task.CompletedTask;

    protected override IEventClaims Open(TimeProvider time) => new SqliteEventClaims(ClaimsPath, time, Options);

    protected override int CleanupBatch => SqliteEventClaims.CleanupBatch;

    protected override async Task<long> CountStoredAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ClaimsPath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM event_claims";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public void The_claims_live_in_a_file_of_their_own_beside_the_index()
    {
        Assert.Equal(Path.Combine(_folder.FullName, "data", "newsbot.claims.db"), ClaimsPath);
        Assert.Equal(Path.GetFullPath("index.claims.db"), SqliteEventClaims.PathBeside("index"));
    }

    [Fact]
    public async Task A_folder_that_cannot_hold_the_file_is_one_line_naming_the_file()
    {
        var notAFolder = Path.Combine(_folder.FullName, "plain-file");
        await File.WriteAllTextAsync(notAFolder, "not a folder");
        var claims = new SqliteEventClaims(Path.Combine(notAFolder, "newsbot.claims.db"));

        var e = await Assert.ThrowsAsync<EventClaimsUnavailableException>(async () => await claims.TryClaimAsync("test:k"));

        Assert.StartsWith($"cannot write the event claims {Path.Combine(notAFolder, "newsbot.claims.db")} (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("not a database")]
    [InlineData("truncated")]
    [InlineData("table dropped")]
    public async Task A_damaged_claims_file_is_set_aside_with_one_warning_naming_it_and_claims_work_again_on_a_fresh_one(string damage)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 20, 15, 0, TimeSpan.Zero));
        var logs = new TestLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var claims = new SqliteEventClaims(ClaimsPath, time, Options, factory.CreateLogger<SqliteEventClaims>());
        // Claims made before the damage, by this instance, so that it also has its table made ("table dropped").
        for (var i = 0; i < 300; i++)
            Assert.NotNull(await claims.TryClaimAsync($"test:before-{i}"));
        SqliteConnection.ClearAllPools();
        await DamageAsync(damage);
        var damagedBytes = await File.ReadAllBytesAsync(ClaimsPath);

        Assert.NotNull(await claims.TryClaimAsync("test:after"));
        Assert.Null(await claims.TryClaimAsync("test:after"));
        Assert.NotNull(await claims.TryClaimAsync("test:before-0"));
        Assert.Null(await new SqliteEventClaims(ClaimsPath, time, Options).TryClaimAsync("test:after"));

        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        var setAside = ClaimsPath + ".damaged-20261130-201500";
        Assert.Contains($"The event claims {ClaimsPath} are damaged (", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"set them aside as {setAside}", warning.Message, StringComparison.Ordinal);
        Assert.Equal(damagedBytes, await File.ReadAllBytesAsync(setAside));
        Assert.Equal(2, await CountStoredAsync());
    }

    [Fact]
    public async Task A_claims_file_from_before_leases_gets_the_later_columns_and_its_claims_count_as_completed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClaimsPath)!);
        var time = new FakeTimeProvider();
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ClaimsPath, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE event_claims (key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO event_claims VALUES ('test:old', {time.GetUtcNow().ToUnixTimeMilliseconds()});
                """;
            await command.ExecuteNonQueryAsync();
        }

        var logs = new TestLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var claims = new SqliteEventClaims(ClaimsPath, time, Options, factory.CreateLogger<SqliteEventClaims>());
        time.Advance(Options.Lease);

        Assert.Null(await claims.TryClaimAsync("test:old"));
        Assert.NotNull(await claims.TryClaimAsync("test:new"));
        var asked = (await claims.TryClaimAsync("test:asked", "the question"))!;
        await claims.AbandonAsync(asked);
        Assert.Equal("the question", Assert.Single(await claims.TakeOverAbandonedAsync("test:", EventClaimGate.MaxAttempts, 10)).Payload);
        time.Advance(Options.KeepFor - Options.Lease);
        Assert.NotNull(await claims.TryClaimAsync("test:old"));
        Assert.Empty(logs.Entries);
        Assert.Empty(Directory.GetFiles(_folder.FullName, "*.damaged-*", SearchOption.AllDirectories));
    }

    private async Task DamageAsync(string damage)
    {
        switch (damage)
        {
            case "not a database":
                await File.WriteAllTextAsync(ClaimsPath, "These are not the claims you are looking for.\n");
                break;
            case "truncated":
                // The first pages stay, headers and all; the rest of the tree is gone.
                await using (var file = new FileStream(ClaimsPath, FileMode.Open))
                    file.SetLength(file.Length / 3);
                break;
            default:
                await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ClaimsPath, Pooling = false }.ToString()))
                {
                    await connection.OpenAsync();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "DROP TABLE event_claims";
                    await command.ExecuteNonQueryAsync();
                }

                break;
        }
    }
}
