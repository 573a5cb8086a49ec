using Npgsql;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.MultiProcess;

/// <summary>The shared-store suite on a real PostgreSQL server, plus what only a server can do: restart, refuse a login.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class PostgresSharedStoreTests(PostgresServer server) : SharedStoreTests
{
    private string _connectionString = string.Empty;

    protected override async Task<Dictionary<string, string>> CreateStoreAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new Dictionary<string, string>
        {
            ["NEWSBOT__Storage__Provider"] = "postgres",
            ["NEWSBOT__Storage__ConnectionString"] = _connectionString,
        };
    }

    protected override string? Secret => PostgresServer.Password;

    protected override Task DamageAVectorAsync() => ExecuteAsync("UPDATE newsbot_sentences SET vector = substring(vector from 1 for 10) WHERE idx = 3");

    protected override Task DropTheChunksTableAsync() => ExecuteAsync("DROP TABLE newsbot_chunks");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_dropped_table_is_one_error_line_for_a_follower_naming_the_table_and_the_command_that_rebuilds_it()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await DropTheChunksTableAsync();

        await using var ask = await FollowerAsync("ask", PmoQuestion);

        Assert.Equal(1, ask.ExitCode);
        Assert.Empty(ask.Out);
        var line = Assert.Single(ask.Err);
        Assert.StartsWith("error: The index tables in database newsbot_", line, StringComparison.Ordinal);
        Assert.EndsWith("are damaged (relation \"newsbot_chunks\" does not exist); an ingest (newsbot ingest, with the seeds folder) rebuilds them.", line, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_follower_keeps_answering_through_damaged_tables_says_so_once_and_serves_the_rebuilt_index()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await using var chat = CliProcess.Start(Follower.Root, Settings(Follower, ingest: false), "chat");
        await WaitUntilServedAsync(chat, Workspace.SeedId);

        await ExecuteAsync("DROP TABLE newsbot_index_state");
        await chat.WaitForLineAsync(l => l.Contains("still answering from index version 1", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3)); // several checks, each finding the damage again
        await AskInChatAsync(chat, PmoQuestion, PmoAnswerPhrase);

        await AssertCatchesUpAsync(chat, year: 2023, added: 2, saidOnce: "damaged");
    }

    /// <summary>
    /// The leader ingests a bakery article of <paramref name="year"/> (<paramref name="added"/> articles in all): the running
    /// <paramref name="chat"/> serves it, having said <paramref name="saidOnce"/> once and never the password.
    /// </summary>
    private async Task AssertCatchesUpAsync(CliProcess chat, int year, int added, string saidOnce)
    {
        Leader.Write("bakery.txt", Bakery(year));
        await IngestedAsync(await LeaderAsync("ingest"), added);
        await WaitUntilServedAsync(chat, "bakery");
        await AskInChatAsync(chat, "Which bakery won the national bread prize?", $"national bread prize in {year}");

        Assert.False(chat.HasExited);
        Assert.Single(chat.Err, l => l.Contains(saidOnce, StringComparison.Ordinal));
        Assert.DoesNotContain(chat.Err, l => l.Contains(PostgresServer.Password, StringComparison.Ordinal));
    }

    protected override async Task LeaveCrashLeftoversAsync()
    {
        // What a process killed after writing a revision but before publishing leaves: rows no version refers to.
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO newsbot_revisions (source_id, path, content_hash, title, contributors, text) VALUES ('harbour1', 'x', 'half-written', 't', '{}', 'text')",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task AssertStoredOnceAsync(IReadOnlyList<string> sourceIds)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT array_agg(source_id ORDER BY source_id) FROM newsbot_revisions),
                   (SELECT count(*) FROM newsbot_versions),
                   (SELECT array_agg(version) FROM newsbot_schema)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(sourceIds.Order(StringComparer.Ordinal), reader.GetFieldValue<string[]>(0));
        Assert.Equal(1, reader.GetInt64(1));
        Assert.Equal([1, 2, 3, 4], reader.GetFieldValue<int[]>(2));
    }

    [Fact]
    public async Task A_follower_keeps_answering_through_a_server_restart_and_catches_up()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await using var chat = CliProcess.Start(Follower.Root, Settings(Follower, ingest: false), "chat");
        await WaitUntilServedAsync(chat, Workspace.SeedId);

        await server.StopAsync();
        try
        {
            await chat.WaitForLineAsync(l => l.Contains("Index store unreachable", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await AskInChatAsync(chat, PmoQuestion, PmoAnswerPhrase);
        }
        finally
        {
            await server.StartAsync();
        }

        await AssertCatchesUpAsync(chat, year: 2022, added: 1, saidOnce: "Index store unreachable");
    }

    [Fact]
    public async Task After_a_server_restart_waiting_for_changes_listens_on_a_new_session_instead_of_failing_on_the_old_one()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1); // creates the tables
        await using var store = new NewsBot.Storage.Postgres.PostgresIndexStore(_connectionString);
        await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(10)); // opens the LISTEN session
        await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(10)); // and waits on it

        // The outage is found by another call, as the follower's version check does while it backs off.
        await server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<NewsBot.Ingestion.IndexStoreUnavailableException>(() => store.CurrentVersionAsync());
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.True(await store.CurrentVersionAsync() > 0);
        // Listening again on a new session, rather than failing on the one from before the restart (which the follower
        // would report as a second outage).
        await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(10));
        await store.WaitForChangeAsync(TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task An_ingest_that_finds_another_running_says_so_waits_for_it_and_exits_0()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1); // creates the tables
        // Unpooled, so closing it ends the session and with it the lock, as when another ingest's process ends.
        await using var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", other))
        {
            take.Parameters.AddWithValue("key", 0x4E657773426F7402L); // NewsBot's ingest lock key
            Assert.True((bool)(await take.ExecuteScalarAsync())!);
        }

        Leader.Write("bakery.txt", Bakery(2021));
        await using var waiting = CliProcess.Start(Leader.Root, Settings(Leader, ingest: true), "ingest");
        await waiting.WaitForLineAsync(l => l.StartsWith("Another ingest is running", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.HasExited);
        Assert.Equal([Workspace.SeedId], await FollowerSourcesAsync());

        await other.CloseAsync();
        await waiting.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(waiting.ExitCode == 0, string.Join('\n', waiting.Out.Concat(waiting.Err)));
        Assert.Equal(1, AddedBy(waiting));
        Assert.Equal([Workspace.SeedId, "bakery"], await FollowerSourcesAsync());
    }

    [Fact]
    public async Task A_role_that_may_only_read_answers_from_the_stored_index_with_one_warning()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        var settings = Settings(Leader, ingest: true);
        settings["NEWSBOT__Storage__ConnectionString"] = await server.ReadOnlyConnectionStringAsync(new NpgsqlConnectionStringBuilder(_connectionString).Database!);
        Leader.Write("bakery.txt", Bakery(2021)); // a change the reader's process would have to write

        await using var ask = await CliProcess.RunAsync(Leader.Root, settings, "ask", PmoQuestion, "--json");

        Assert.True(ask.ExitCode == 0, string.Join('\n', ask.Err));
        Assert.Contains(PmoAnswerPhrase, Assert.Single(ask.Out), StringComparison.Ordinal);
        var warning = Assert.Single(ask.Err);
        Assert.StartsWith("warning: cannot write the index in database newsbot_", warning, StringComparison.Ordinal);
        Assert.Contains("(the role may not write: permission denied", warning, StringComparison.Ordinal);
        Assert.EndsWith("answering from the stored index (version 1) as it is.", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, warning, StringComparison.Ordinal);
        Assert.Equal([Workspace.SeedId], await FollowerSourcesAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_naming_the_setting_and_never_the_password()
    {
        const string wrong = "not-the-Pa55word";
        var settings = Settings(Leader, ingest: true);
        settings["NEWSBOT__Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(_connectionString) { Password = wrong }.ConnectionString;

        await using var run = await CliProcess.RunAsync(Leader.Root, settings, "ask", PmoQuestion);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        var line = Assert.Single(run.Err);
        Assert.StartsWith("configuration error: Storage:ConnectionString: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_naming_the_setting()
    {
        var settings = Settings(Leader, ingest: true);
        settings["NEWSBOT__Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 3 }.ConnectionString;

        await using var run = await CliProcess.RunAsync(Leader.Root, settings, "sources");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Err);
        Assert.StartsWith("error: Storage:ConnectionString: cannot reach PostgreSQL at 127.0.0.1:1", line, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, line, StringComparison.Ordinal);
    }
}
