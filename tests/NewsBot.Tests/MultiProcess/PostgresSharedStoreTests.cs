using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NewsBot.Answering;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Storage.Postgres;
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

    protected override Task DropTheVersionTableAsync() => ExecuteAsync("DROP TABLE newsbot_index_state");

    protected override Task DeleteTheStoreAsync() => ExecuteAsync(
        """
        DROP TABLE newsbot_schema, newsbot_index_state, newsbot_version_revisions, newsbot_versions, newsbot_paragraphs,
            newsbot_sentences, newsbot_chunks, newsbot_revisions, newsbot_event_claims
        """);

    /// <summary>Holds the row that names the current version, which a publication locks first, in an open transaction.</summary>
    protected override async Task<IAsyncDisposable?> HoldPublicationsAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM newsbot_index_state WHERE id = 1 FOR UPDATE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        // Disposing the connection rolls the transaction back, which lets the publication blocked on the row go on.
        return connection;
    }

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

    [Fact]
    public async Task Healthz_of_a_follower_on_a_damaged_store_says_degraded_with_the_damage_keeps_200_and_is_ok_after_the_leaders_repair()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await WithServingFollowerAsync(async (follower, health) =>
        {
            var (_, ok) = await health.ReadAsync();
            var loadedAt = ok.GetProperty("loadedAt").GetDateTimeOffset();

            var damagedAt = time.GetUtcNow();
            await ExecuteAsync("DROP TABLE newsbot_index_state");
            var (status, degraded) = await health.WaitForAsync((_, body) => body.GetProperty("status").GetString() != "ok");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", degraded.GetProperty("status").GetString());
            Assert.Equal(1, degraded.GetProperty("indexVersion").GetInt64());
            Assert.Equal(1, degraded.GetProperty("sources").GetInt32());
            Assert.Equal(loadedAt, degraded.GetProperty("loadedAt").GetDateTimeOffset());
            var problem = Assert.Single(degraded.GetProperty("problems").EnumerateArray().ToList());
            Assert.Equal("damaged", problem.GetProperty("kind").GetString());
            var reason = problem.GetProperty("reason").GetString()!;
            Assert.Contains("are damaged (relation \"newsbot_index_state\" does not exist)", reason, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, reason, StringComparison.Ordinal);
            var since = problem.GetProperty("since").GetDateTimeOffset();
            Assert.True(since >= damagedAt, $"degraded since {since:O}, damaged at {damagedAt:O}");
            Assert.True(degraded.GetProperty("lastRefreshAt").GetDateTimeOffset() <= since);

            // Checks go on finding the damage: the last good refresh ages, and the gauges say so.
            time.Advance(TimeSpan.FromMinutes(5));
            (_, degraded) = await health.ReadAsync();
            Assert.Equal(since, Assert.Single(degraded.GetProperty("problems").EnumerateArray().ToList()).GetProperty("since").GetDateTimeOffset());
            Assert.Equal(1, await health.MetricAsync("newsbot_index_degraded"));
            Assert.True(await health.MetricAsync("newsbot_index_refresh_age_seconds") >= 300);
            Assert.True(await health.MetricAsync("newsbot_index_age_seconds") >= 300);

            // A fresh leader (a scheduled newsbot ingest) holds the ingest lock and rebuilds the tables.
            using (var leader = LeaderHost())
                await leader.IngestAsync();
            (status, ok) = await health.WaitForAsync((_, body) => body.GetProperty("sources").GetInt32() == 1 && body.GetProperty("indexVersion").GetInt64() > 1);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Empty(ok.GetProperty("problems").EnumerateArray());
            Assert.True(ok.GetProperty("loadedAt").GetDateTimeOffset() > since);
            Assert.Equal(0, await health.MetricAsync("newsbot_index_degraded"));
            Assert.True(await health.MetricAsync("newsbot_index_refresh_age_seconds") < 60);
        }, time);
    }

    [Fact]
    public async Task Healthz_of_a_follower_says_degraded_while_the_server_is_down_keeps_200_and_is_ok_once_it_is_back()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await WithServingFollowerAsync(async (_, health) =>
        {
            var stoppedAt = time.GetUtcNow();
            JsonElement problem;
            await server.StopAsync();
            try
            {
                var (status, degraded) = await health.WaitForAsync((_, body) => body.GetProperty("status").GetString() != "ok");

                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("degraded", degraded.GetProperty("status").GetString());
                Assert.Equal(1, degraded.GetProperty("sources").GetInt32());
                problem = Assert.Single(degraded.GetProperty("problems").EnumerateArray().ToList());
                Assert.Equal("unreachable", problem.GetProperty("kind").GetString());
                var reason = problem.GetProperty("reason").GetString()!;
                // "cannot reach PostgreSQL at …", or "… is shutting down" when the check that found it was cut off.
                Assert.Contains("PostgreSQL at 127.0.0.1:", reason, StringComparison.Ordinal);
                Assert.Contains("Storage:ConnectionString", reason, StringComparison.Ordinal);
                Assert.DoesNotContain(PostgresServer.Password, reason, StringComparison.Ordinal);
                Assert.True(problem.GetProperty("since").GetDateTimeOffset() >= stoppedAt);
                Assert.Equal(1, await health.MetricAsync("newsbot_index_degraded"));
            }
            finally
            {
                await server.StartAsync();
            }

            var (_, ok) = await health.WaitForStatusAsync("ok");
            Assert.Empty(ok.GetProperty("problems").EnumerateArray());
            Assert.True(ok.GetProperty("lastRefreshAt").GetDateTimeOffset() > problem.GetProperty("since").GetDateTimeOffset());
            Assert.Equal(0, await health.MetricAsync("newsbot_index_degraded"));
        }, time);
    }

    [Fact]
    public async Task Healthz_of_a_leader_repairing_damaged_tables_is_503_with_the_repair_as_its_problem_until_the_repaired_index_is_served()
    {
        using (var leader = LeaderHost())
            await leader.IngestAsync();
        await DropTheChunksTableAsync();
        var repair = new TaskCompletionSource();
        await using var store = new PostgresIndexStore(_connectionString);
        var settings = InProcess(Settings(Leader, ingest: true));
        settings["Health:ListenUrl"] = "http://127.0.0.1:0";
        using var repairer = Leader.BuildHost(settings: settings, configure: builder =>
        {
            FrontEnds.Add(builder);
            builder.Services.RemoveAll<IIndexStore>();
            builder.Services.AddSingleton<IIndexStore>(new GatedStore(store, repaired: repair.Task));
        });
        await repairer.StartAsync();
        try
        {
            using var health = new HealthProbe(repairer);
            var (status, repairing) = await health.WaitForAsync((_, body) => body.GetProperty("problems").EnumerateArray().Any(p => p.GetProperty("kind").GetString() == "repairing"));

            // Nothing was served before the damage was found, so there is nothing to answer from yet.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("loading", repairing.GetProperty("status").GetString());
            var problem = Assert.Single(repairing.GetProperty("problems").EnumerateArray().ToList());
            Assert.Equal("repairing", problem.GetProperty("kind").GetString());
            Assert.Contains("are damaged (relation \"newsbot_chunks\" does not exist)", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);

            repair.SetResult();
            (status, var ok) = await health.WaitForAsync((_, body) => body.GetProperty("sources").GetInt32() == 1);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Empty(ok.GetProperty("problems").EnumerateArray());
        }
        finally
        {
            await repairer.StopAsync();
        }
    }

    [Fact]
    public async Task A_running_leader_whose_state_table_is_dropped_repairs_it_at_its_next_reload_and_serves_the_index_again()
    {
        using var leader = LeaderHost();
        Assert.Equal(1, (await leader.IngestAsync()).Added);
        await ExecuteAsync("DROP TABLE newsbot_index_state");

        // Its version check finds the damage while it holds the ingest lock: it repairs and ingests as a fresh leader does.
        var repaired = await leader.IngestAsync();

        Assert.Equal(1, repaired.Added);
        Assert.True(repaired.Version > 1, $"version {repaired.Version}");
        Assert.Equal(Workspace.SeedId, Assert.Single(leader.Engine().ListSources()).Id);
        Assert.False(leader.Services.GetRequiredService<IndexHealth>().Current.Degraded);
        var again = await leader.IngestAsync();
        Assert.Equal((0, 1, repaired.Version), (again.Added, again.Unchanged, again.Version));
    }

    [Theory]
    [InlineData("DROP TABLE newsbot_chunks")]
    [InlineData("ALTER TABLE newsbot_revisions DROP COLUMN byline")]
    public async Task A_running_leader_repairs_an_index_table_or_column_dropped_behind_its_back_at_its_next_reload(string damage)
    {
        using var leader = LeaderHost();
        await leader.StartAsync();
        try
        {
            // Its startup reload ingests into the empty store: only once that reload has returned is the store damaged.
            using var health = new HealthProbe(leader);
            await health.WaitForAsync((_, body) => body.GetProperty("sources").GetInt32() == 1);
            await leader.StartupReloadAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await ExecuteAsync(damage);
            Leader.Write("bakery.txt", Bakery(2025));

            // Its version check finds the damage, so it rebuilds the tables before writing to them, and embeds everything again.
            var repaired = await leader.IngestAsync();

            Assert.Equal(2, repaired.Added);
            Assert.True(repaired.Version > 1, $"version {repaired.Version}");
            var (_, ok) = await health.WaitForStatusAsync("ok");
            Assert.Equal(repaired.Version, ok.GetProperty("indexVersion").GetInt64());
            Assert.Equal(2, ok.GetProperty("sources").GetInt32());
            Assert.Equal([Workspace.SeedId, "bakery"], await FollowerSourcesAsync());
        }
        finally
        {
            await leader.StopAsync();
        }
    }

    [Fact]
    public Task A_follower_serves_the_index_rebuilt_after_the_table_of_versions_was_dropped() =>
        AssertFollowerServesTheRebuiltIndexAsync(() => ExecuteAsync("DROP TABLE newsbot_versions CASCADE"));

    [Fact]
    public async Task Healthz_of_a_follower_keeps_serving_and_says_repairing_while_the_leaders_rebuilt_tables_hold_no_published_version()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await WithServingFollowerAsync(async (follower, health) =>
        {
            await DropTheChunksTableAsync();

            // The leader rebuilds the tables, embeds the seeds again and waits here before publishing them.
            var publish = new TaskCompletionSource();
            await using var store = new PostgresIndexStore(_connectionString);
            using var leader = Leader.BuildHost(settings: InProcess(Settings(Leader, ingest: true)), configure: builder =>
            {
                builder.Services.RemoveAll<IIndexStore>();
                builder.Services.AddSingleton<IIndexStore>(new GatedStore(store, applied: publish.Task));
            });
            var ingest = leader.IngestAsync();
            // Its version check finds the damage at once; the leader's rebuild, which holds no version, follows.
            var (status, repairing) = await health.WaitForAsync((_, body) =>
                body.GetProperty("sources").GetInt32() != 1 || body.GetProperty("problems").EnumerateArray().Any(p => p.GetProperty("kind").GetString() == "repairing"));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", repairing.GetProperty("status").GetString());
            Assert.Equal(1, repairing.GetProperty("indexVersion").GetInt64());
            Assert.Equal(1, repairing.GetProperty("sources").GetInt32());
            var problem = Assert.Single(repairing.GetProperty("problems").EnumerateArray().ToList());
            Assert.Equal("repairing", problem.GetProperty("kind").GetString());
            Assert.Contains("being rebuilt", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.True((await follower.Engine().AskAsync(new Question(PmoQuestion))).Answered);
            Assert.False(ingest.IsCompleted);

            publish.SetResult();
            Assert.Equal(1, (await ingest).Added);
            (status, var ok) = await health.WaitForAsync((_, body) => body.GetProperty("indexVersion").GetInt64() > 1);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Equal(1, ok.GetProperty("sources").GetInt32());
            Assert.Empty(ok.GetProperty("problems").EnumerateArray());
        }, time);
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
        Assert.Equal([1, 2, 3, 4, 5], reader.GetFieldValue<int[]>(2));
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
        await using var store = new PostgresIndexStore(_connectionString);
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

        Assert.True((await store.CurrentVersionAsync()).Number > 0);
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
