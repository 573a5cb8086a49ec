using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Answering;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.MultiProcess;

/// <summary>
/// Multi-process tests start many model-loading processes: they run one class at a time, sharing one
/// private PostgreSQL server.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MultiProcessCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Several newsbot processes";
}

/// <summary>
/// Several real <c>newsbot</c> processes on one index store: a leader that ingests its seeds folder and followers
/// (<c>Ingestion:Enabled</c> = false, empty seeds folder) that serve what it publishes. Run once per store.
/// </summary>
public abstract partial class SharedStoreTests : IAsyncLifetime
{
    protected const string PmoQuestion = "Why did the PMO decline the meeting?";
    protected const string PmoAnswerPhrase = "heavy demands of his schedule";
    private static readonly TimeSpan FollowTimeout = TimeSpan.FromSeconds(30);
    private Dictionary<string, string> _store = [];

    protected Workspace Leader { get; } = new();

    protected Workspace Follower { get; } = new(withSeed: false);

    protected static string Bakery(int year) =>
        $"Riverside bakery wins bread prize\n\nThe Riverside bakery won the national bread prize in {year}, beating two hundred rivals.\n\nIts owners said the sourdough recipe came from a grandmother in Lyon.\n";

    protected static string Harbour(int n) =>
        $"Harbour number {n} reopens\n\nThe harbour of town {n} reopened on Monday after a storm closed it for {n + 2} weeks.\n\nFishermen said the repairs cost more than the council had planned, and that the season was already half lost.\n";

    /// <summary>The Storage:* settings of a fresh, empty store for one test.</summary>
    protected abstract Task<Dictionary<string, string>> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync()
    {
        Leader.Dispose();
        Follower.Dispose();
        return Task.CompletedTask;
    }

    protected Dictionary<string, string> Settings(Workspace seeds, bool ingest, params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>(_store)
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = seeds.Seeds,
            ["NEWSBOT__Ingestion__Enabled"] = ingest ? "true" : "false",
            ["NEWSBOT__Storage__CheckIntervalSeconds"] = "1",
            ["NEWSBOT__Storage__ReconnectDelayMaxSeconds"] = "2",
            ["NEWSBOT__Embeddings__Threads"] = "1",
        };
        foreach (var (key, value) in more)
            env[key] = value;
        return env;
    }

    protected Task<CliProcess> LeaderAsync(params string[] args) => CliProcess.RunAsync(Leader.Root, Settings(Leader, ingest: true), args);

    protected Task<CliProcess> FollowerAsync(params string[] args) => CliProcess.RunAsync(Follower.Root, Settings(Follower, ingest: false), args);

    protected async Task<List<string>> FollowerSourcesAsync()
    {
        await using var run = await FollowerAsync("sources", "--json");
        Assert.True(run.ExitCode == 0, string.Join('\n', run.Err));
        return [.. run.Out.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    protected static async Task IngestedAsync(CliProcess run, int added)
    {
        await using (run)
        {
            Assert.True(run.ExitCode == 0, string.Join('\n', run.Out.Concat(run.Err)));
            Assert.Equal(added, AddedBy(run));
        }
    }

    protected static int AddedBy(CliProcess run) =>
        run.Out.Select(l => ReportLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Single();

    /// <summary>Asks <c>/sources</c> every second until <paramref name="sourceId"/> is listed.</summary>
    protected static async Task WaitUntilServedAsync(CliProcess chat, string sourceId)
    {
        var deadline = DateTime.UtcNow + FollowTimeout;
        while (true)
        {
            var seen = chat.Out.Count;
            await chat.SendAsync("/sources");
            try
            {
                await chat.WaitForLineAsync(l => l.StartsWith(sourceId + "  ", StringComparison.Ordinal), TimeSpan.FromSeconds(1), skip: seen);
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline && !chat.HasExited)
            {
            }
        }
    }

    /// <summary>
    /// An ingesting host in this process, on the store and settings the leader's processes use, with <c>/healthz</c> on
    /// loopback; its store's first publication waits for <paramref name="published"/>, if given.
    /// </summary>
    protected IHost LeaderHost(Task? published = null)
    {
        var settings = InProcess(Settings(Leader, ingest: true));
        settings["Health:ListenUrl"] = "http://127.0.0.1:0";
        return Leader.BuildHost(settings: settings, configure: builder =>
        {
            FrontEnds.Add(builder);
            if (published is null)
                return;
            var real = builder.Services.Single(s => s.ServiceType == typeof(IIndexStore));
            builder.Services.Remove(real);
            // Keyed, so that the host still disposes the real store it made.
            builder.Services.AddKeyedSingleton<IIndexStore>("real", (services, _) => (IIndexStore)real.ImplementationFactory!(services));
            builder.Services.AddSingleton<IIndexStore>(services => new GatedStore(services.GetRequiredKeyedService<IIndexStore>("real"), applied: published));
        });
    }

    /// <summary>A follower host in this process, as <c>run</c> hosts it, on <paramref name="time"/> if given, with <c>/healthz</c> on loopback.</summary>
    protected IHost FollowerHost(FakeTimeProvider? time = null)
    {
        var settings = InProcess(Settings(Follower, ingest: false));
        settings["Health:ListenUrl"] = "http://127.0.0.1:0";
        return Follower.BuildHost(settings: settings, configure: builder =>
        {
            FrontEnds.Add(builder);
            if (time is null)
                return;
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(time);
        });
    }

    /// <summary>A process's <c>NEWSBOT__Section__Key</c> environment as a host's <c>Section:Key</c> settings.</summary>
    protected static Dictionary<string, string?> InProcess(Dictionary<string, string> environment) =>
        environment.ToDictionary(e => e.Key["NEWSBOT__".Length..].Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);

    /// <summary>
    /// The leader ingests its seeds (index version 1); then <paramref name="test"/> runs with a follower host (on
    /// <paramref name="time"/>, if given) that serves them, and a probe of its <c>/healthz</c>.
    /// </summary>
    protected async Task WithServingFollowerAsync(Func<IHost, HealthProbe, Task> test, FakeTimeProvider? time = null)
    {
        using (var leader = LeaderHost())
            Assert.Equal(1, (await leader.IngestAsync()).Version);
        using var follower = FollowerHost(time);
        await follower.StartAsync();
        try
        {
            using var health = new HealthProbe(follower, time);
            await health.WaitForAsync((_, body) => body.GetProperty("status").GetString() == "ok" && body.GetProperty("sources").GetInt32() == 1);
            await test(follower, health);
        }
        finally
        {
            await follower.StopAsync();
        }
    }

    /// <summary>Polls the in-process <paramref name="host"/> until it serves <paramref name="sourceId"/>.</summary>
    protected static async Task WaitUntilServedAsync(IHost host, string sourceId)
    {
        var deadline = DateTime.UtcNow + FollowTimeout;
        while (!host.Engine().ListSources().Any(s => s.Id == sourceId))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{sourceId} not served within {FollowTimeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    protected static async Task<string> AskInChatAsync(CliProcess chat, string question, string expected)
    {
        var seen = chat.Out.Count;
        await chat.SendAsync(question);
        return await chat.WaitForLineAsync(l => l.Contains(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(30), skip: seen);
    }

    /// <summary>What a crashed ingest may have left in the store, written behind NewsBot's back.</summary>
    protected virtual Task LeaveCrashLeftoversAsync() => Task.CompletedTask;

    /// <summary>Cuts one stored sentence vector of the seed article short, behind NewsBot's back.</summary>
    protected abstract Task DamageAVectorAsync();

    /// <summary>Drops the table of chunks, behind NewsBot's back.</summary>
    protected abstract Task DropTheChunksTableAsync();

    /// <summary>Drops the table that holds the current version, which a running leader reads before each reload, behind NewsBot's back.</summary>
    protected abstract Task DropTheVersionTableAsync();

    /// <summary>Deletes the whole store (its file, its tables) behind NewsBot's back, so the next ingest counts versions from 1 again.</summary>
    protected abstract Task DeleteTheStoreAsync();

    /// <summary>
    /// Keeps any publication from completing until disposed, without keeping an ingest from taking the lock or writing
    /// what it is to publish; null where the store cannot (SQLite writes and publishes in one transaction).
    /// </summary>
    protected virtual Task<IAsyncDisposable?> HoldPublicationsAsync() => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>What no line a process writes may hold: the store's password, if it has one.</summary>
    protected virtual string? Secret => null;

    /// <summary>The store holds each of <paramref name="sourceIds"/> once and nothing left over from crashes.</summary>
    protected virtual Task AssertStoredOnceAsync(IReadOnlyList<string> sourceIds) => Task.CompletedTask;

    [Fact]
    public async Task A_follower_with_an_empty_seeds_folder_answers_from_what_the_leader_ingested()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);

        await using var ask = await FollowerAsync("ask", PmoQuestion, "--json");

        Assert.True(ask.ExitCode == 0, string.Join('\n', ask.Err));
        using var answer = JsonDocument.Parse(Assert.Single(ask.Out));
        Assert.True(answer.RootElement.GetProperty("answered").GetBoolean());
        var citations = answer.RootElement.GetProperty("citations").EnumerateArray().ToList();
        Assert.All(citations, c => Assert.Equal(Workspace.SeedId, c.GetProperty("sourceId").GetString()));
        Assert.Contains(citations.Take(2), c => c.GetProperty("quote").GetString()!.Contains(PmoAnswerPhrase, StringComparison.Ordinal));
        Assert.Equal([Workspace.SeedId], await FollowerSourcesAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Follower.Seeds));
        await AssertStoredOnceAsync([Workspace.SeedId]);
    }

    [Fact]
    public async Task Concurrent_ingests_both_exit_0_and_store_each_article_once()
    {
        Leader.Write("bakery.txt", Bakery(2021));
        Leader.Write("harbour.txt", Harbour(1));

        var first = CliProcess.Start(Leader.Root, Settings(Leader, ingest: true), "ingest");
        var second = CliProcess.Start(Leader.Root, Settings(Leader, ingest: true), "ingest");
        await using (first)
        await using (second)
        {
            await first.WaitForExitAsync(TimeSpan.FromSeconds(180));
            await second.WaitForExitAsync(TimeSpan.FromSeconds(180));

            Assert.True(first.ExitCode == 0, string.Join('\n', first.Out.Concat(first.Err)));
            Assert.True(second.ExitCode == 0, string.Join('\n', second.Out.Concat(second.Err)));
            Assert.Equal(3, AddedBy(first) + AddedBy(second));
        }

        string[] all = ["bakery", "harbour", Workspace.SeedId];
        Assert.Equal(all.Order(StringComparer.Ordinal), await FollowerSourcesAsync());
        await AssertStoredOnceAsync(all);
    }

    [Fact]
    public async Task A_killed_ingest_leaves_the_previous_index_served_and_the_next_ingest_completes()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);

        // A kill lands before the publication only while that is still to come: a store that can hold it back does, until the
        // ingest is dead (a late kill once let it publish everything); with one that cannot, many texts embedded one per call
        // widen the window between the first embedding and the publication, without closing it.
        await using (var held = await HoldPublicationsAsync())
        {
            for (var n = 1; n <= 4; n++)
                Leader.Write($"harbour{n}.txt", Harbour(n) + (held is null ? HarbourLog(n) : string.Empty));
            var doomed = CliProcess.Start(Leader.Root, Settings(Leader, ingest: true, ("NEWSBOT__Ingestion__EmbeddingBatchSize", "1")), "ingest");
            await using (doomed)
            {
                await doomed.WaitForLineAsync(l => l.StartsWith("embedding", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
                doomed.Kill();
                await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
        }

        await LeaveCrashLeftoversAsync();
        Assert.Equal([Workspace.SeedId], await FollowerSourcesAsync());

        await IngestedAsync(await LeaderAsync("ingest"), added: 4);
        string[] all = [Workspace.SeedId, "harbour1", "harbour2", "harbour3", "harbour4"];
        Assert.Equal(all.Order(StringComparer.Ordinal), await FollowerSourcesAsync());
        await AssertStoredOnceAsync(all);
    }

    /// <summary>Paragraphs enough that embedding them one text per call takes a while (about two seconds here).</summary>
    private static string HarbourLog(int n) =>
        string.Concat(Enumerable.Range(1, 40).Select(day => $"\nOn day {day} of the repairs, {day * n + 3} boats waited outside the harbour of town {n} for the tide.\n"));

    [Fact]
    public async Task A_running_follower_picks_up_a_newly_published_index_within_seconds()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await using var chat = CliProcess.Start(Follower.Root, Settings(Follower, ingest: false), "chat");
        await WaitUntilServedAsync(chat, Workspace.SeedId);

        Leader.Write("bakery.txt", Bakery(2021));
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);

        await WaitUntilServedAsync(chat, "bakery");
        await AskInChatAsync(chat, "Which bakery won the national bread prize?", "Riverside bakery won the national bread prize in 2021");
        Assert.False(chat.HasExited);
    }

    [Fact]
    public async Task A_damaged_vector_is_one_error_line_for_a_follower_and_the_leaders_ingest_embeds_the_article_again()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await DamageAVectorAsync();

        await using (var ask = await FollowerAsync("ask", PmoQuestion))
        {
            Assert.True(ask.ExitCode == 1, $"exit {ask.ExitCode}: {string.Join(" | ", ask.Err)}");
            Assert.Empty(ask.Out);
            AssertDamageReported(ask.Err, "error: ");
        }

        await using (var ingest = await LeaderAsync("ingest"))
        {
            Assert.True(ingest.ExitCode == 0, string.Join('\n', ingest.Out.Concat(ingest.Err)));
            Assert.Equal(1, AddedBy(ingest));
            AssertDamageReported(ingest.Err, null); // the leader repairs it, not the follower that found it
        }

        await AssertFollowerAnswersAsync();
        await AssertStoredOnceAsync([Workspace.SeedId]);
    }

    [Fact]
    public async Task A_dropped_table_is_reported_and_the_leaders_ask_rebuilds_it_and_answers()
    {
        await IngestedAsync(await LeaderAsync("ingest"), added: 1);
        await DropTheChunksTableAsync();

        await using (var ask = await LeaderAsync("ask", PmoQuestion, "--json"))
        {
            Assert.True(ask.ExitCode == 0, string.Join('\n', ask.Err));
            using var answer = JsonDocument.Parse(Assert.Single(ask.Out));
            Assert.Contains(PmoAnswerPhrase, answer.RootElement.GetProperty("citations")[0].GetProperty("quote").GetString(), StringComparison.Ordinal);
            AssertDamageReported(ask.Err, null);
        }

        await AssertFollowerAnswersAsync();
        await using var sources = await FollowerAsync("sources", "--json");
        Assert.Equal(12, JsonDocument.Parse(Assert.Single(sources.Out)).RootElement.GetProperty("chunks").GetInt32());
    }

    [Fact]
    public async Task A_running_leader_that_repairs_its_store_answers_from_the_index_it_holds_until_the_rebuilt_one_is_published()
    {
        using (var first = LeaderHost())
            Assert.Equal(1, (await first.IngestAsync()).Added);
        var publish = new TaskCompletionSource();
        using var leader = LeaderHost(published: publish.Task);
        await leader.StartAsync();
        try
        {
            using var health = new HealthProbe(leader);
            await health.WaitForAsync((_, body) => body.GetProperty("status").GetString() == "ok" && body.GetProperty("sources").GetInt32() == 1);
            // Damaged before the start-up reload looked, the store would be repaired by that reload, not by the one below.
            await leader.StartupReloadAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await DropTheVersionTableAsync();

            // Its next reload finds the damage under the ingest lock, repairs the store and embeds the seeds again.
            var reload = leader.Ingestor().ReloadAsync();
            await ((GatedStore)leader.Services.GetRequiredService<IIndexStore>()).Applying.WaitAsync(TimeSpan.FromMinutes(2));

            var answer = await leader.Engine().AskAsync(new Question(PmoQuestion));
            Assert.True(answer.Answered, answer.Text);
            Assert.Contains(PmoAnswerPhrase, answer.Citations[0].Quote, StringComparison.Ordinal);
            var (status, repairing) = await health.ReadAsync();
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", repairing.GetProperty("status").GetString());
            Assert.Equal(1, repairing.GetProperty("indexVersion").GetInt64());
            Assert.Equal(1, repairing.GetProperty("sources").GetInt32());
            Assert.Equal(12, repairing.GetProperty("chunks").GetInt32());
            Assert.Equal("repairing", Assert.Single(repairing.GetProperty("problems").EnumerateArray().ToList()).GetProperty("kind").GetString());
            Assert.False(reload.IsCompleted);

            publish.SetResult();
            var repaired = await reload;
            Assert.Equal(1, repaired.Added);
            // Versions go on counting across the rebuild, so a follower still serving version 1 loads the rebuilt index.
            Assert.True(repaired.Version > 1, $"version {repaired.Version}");
            var (_, ok) = await health.ReadAsync();
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Equal(repaired.Version, ok.GetProperty("indexVersion").GetInt64());
            Assert.Equal(12, ok.GetProperty("chunks").GetInt32());
        }
        finally
        {
            await leader.StopAsync();
        }
    }

    [Fact]
    public async Task Healthz_of_a_fresh_leader_that_repaired_its_store_is_503_with_the_repair_until_the_rebuilt_index_is_published()
    {
        using (var first = LeaderHost())
            await first.IngestAsync();
        await DropTheChunksTableAsync();
        var publish = new TaskCompletionSource();
        using var leader = LeaderHost(published: publish.Task);
        await leader.StartAsync();
        try
        {
            using var health = new HealthProbe(leader);
            await ((GatedStore)leader.Services.GetRequiredService<IIndexStore>()).Applying.WaitAsync(TimeSpan.FromMinutes(2));

            // Repaired and embedding again, with nothing to answer from yet: the empty rebuilt store is not served as the index.
            var (status, rebuilding) = await health.ReadAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("loading", rebuilding.GetProperty("status").GetString());
            Assert.Equal("repairing", Assert.Single(rebuilding.GetProperty("problems").EnumerateArray().ToList()).GetProperty("kind").GetString());

            publish.SetResult();
            (status, var ok) = await health.WaitForAsync((_, body) => body.GetProperty("sources").GetInt32() == 1);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Empty(ok.GetProperty("problems").EnumerateArray());
        }
        finally
        {
            await leader.StopAsync();
        }
    }

    [Fact]
    public Task A_follower_serves_the_index_rebuilt_after_damage_though_it_held_the_first_version_of_the_damaged_one() =>
        AssertFollowerServesTheRebuiltIndexAsync(DropTheChunksTableAsync);

    /// <summary>
    /// A follower serves version 1; after <paramref name="damage"/>, a fresh leader rebuilds the store with an article more,
    /// and the follower serves that, under a version of its own.
    /// </summary>
    protected Task AssertFollowerServesTheRebuiltIndexAsync(Func<Task> damage) =>
        WithServingFollowerAsync(async (follower, _) =>
        {
            await damage();

            // A fresh leader (a scheduled newsbot ingest) rebuilds the store, with an article added meanwhile.
            Leader.Write("bakery.txt", Bakery(2024));
            ReloadReport rebuilt;
            using (var repairer = LeaderHost())
                rebuilt = await repairer.IngestAsync();
            Assert.Equal(2, rebuilt.Added);

            await WaitUntilServedAsync(follower, "bakery");
            Assert.Equal(rebuilt.Version, follower.Services.GetRequiredService<CurrentIndex>().Version);
            Assert.True((await follower.Engine().AskAsync(new Question("Which bakery won the national bread prize?"))).Answered);
        });

    [Fact]
    public Task A_follower_serves_an_index_rebuilt_from_nothing_though_its_versions_count_again_from_1() =>
        WithServingFollowerAsync(async (follower, _) =>
        {
            await DeleteTheStoreAsync();
            Leader.Write("bakery.txt", Bakery(2024));
            using (var fresh = LeaderHost())
            {
                var rebuilt = await fresh.IngestAsync();
                Assert.Equal((2, 1L), (rebuilt.Added, rebuilt.Version));
            }

            // Version 1 again, yet another publication than the version 1 the follower serves.
            await WaitUntilServedAsync(follower, "bakery");
            Assert.Equal(1, follower.Services.GetRequiredService<CurrentIndex>().Version);
        });

    /// <summary>One line (starting with <paramref name="prefix"/>, if given) says the index is damaged and what rebuilds it, never the secret.</summary>
    protected void AssertDamageReported(IReadOnlyList<string> err, string? prefix)
    {
        var line = Assert.Single(err, l => l.Contains("damaged", StringComparison.Ordinal) && (prefix is null || l.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Contains(prefix is null ? "from the seeds folder" : "newsbot ingest", line, StringComparison.Ordinal);
        Assert.All(err, l => Assert.True(l.Contains("damaged", StringComparison.Ordinal) || l.StartsWith("Index", StringComparison.Ordinal), "unexpected line: " + l));
        if (Secret is { } secret)
            Assert.All(err, l => Assert.DoesNotContain(secret, l, StringComparison.Ordinal));
    }

    protected async Task AssertFollowerAnswersAsync()
    {
        await using var ask = await FollowerAsync("ask", PmoQuestion, "--json");
        Assert.True(ask.ExitCode == 0, string.Join('\n', ask.Err));
        Assert.Empty(ask.Err);
        using var answer = JsonDocument.Parse(Assert.Single(ask.Out));
        Assert.Contains(PmoAnswerPhrase, answer.RootElement.GetProperty("citations")[0].GetProperty("quote").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(\d+) added, \d+ updated, \d+ removed, \d+ unchanged;")]
    private static partial Regex ReportLine();
}
