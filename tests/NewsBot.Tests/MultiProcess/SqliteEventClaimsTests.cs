using Microsoft.Data.Sqlite;
using NewsBot.Chat;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Tests.MultiProcess;

/// <summary>Event claims in a SQLite file beside the index, shared by the processes on one machine.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class SqliteEventClaimsTests : EventClaimsTests
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("newsbot-claims-");

    private string ClaimsPath => SqliteEventClaims.PathBeside(Path.Combine(_folder.FullName, "data", "newsbot.db"));

    public override Task InitializeAsync() => Task.CompletedTask;

    protected override IEventClaims Open(TimeProvider time) => new SqliteEventClaims(ClaimsPath, time);

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
}
