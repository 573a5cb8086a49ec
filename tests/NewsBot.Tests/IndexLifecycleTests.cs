using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Storage.Sqlite;
using NewsBot.Testing.Logging;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>Persistence and incremental reloads against a real SQLite file and the real model.</summary>
public class IndexLifecycleTests
{
    private const string BakeryQuestion = "Which bakery won the national bread prize?";

    private static string Bakery(int year) =>
        $"Riverside bakery wins bread prize\n\nThe Riverside bakery won the national bread prize in {year}, beating two hundred rivals.\n\nIts owners said the sourdough recipe came from a grandmother in Lyon.\n";

    [Fact]
    public async Task A_restart_serves_the_stored_index_without_embedding_documents()
    {
        using var workspace = new Workspace();
        using (var first = workspace.BuildHost())
            Assert.Equal(1, (await first.IngestAsync()).Added);

        WatchedEmbeddings watched = null!;
        using var second = workspace.BuildHost(real => watched = new WatchedEmbeddings(real));
        await second.Ingestor().LoadStoredAsync();

        Assert.Equal(0, watched.Texts);
        Assert.Equal(Workspace.SeedId, Assert.Single(second.Engine().ListSources()).Id);
        var answer = await second.Engine().AskAsync(new Question("Why did the PMO decline the meeting?"));
        Assert.True(answer.Answered);
        Assert.Equal(1, watched.Texts); // the question itself

        var report = await second.Engine().ReloadAsync();
        Assert.Equal((0, 0, 0, 1), (report.Added, report.Updated, report.Removed, report.Unchanged));
        Assert.Equal(1, watched.Texts);
    }

    [Fact]
    public async Task Added_changed_and_deleted_files_are_reflected_and_the_seed_is_left_alone()
    {
        using var workspace = new Workspace();
        using var host = workspace.BuildHost();
        var engine = host.Engine();
        Assert.Equal(1, (await engine.ReloadAsync()).Added);

        workspace.Write("bakery.txt", Bakery(2021));
        var added = await engine.ReloadAsync();
        Assert.Equal((1, 0, 0, 1), (added.Added, added.Updated, added.Removed, added.Unchanged));
        Assert.Equal([Workspace.SeedId, "bakery"], engine.ListSources().Select(s => s.Id).Order(StringComparer.Ordinal));
        var answer = await engine.AskAsync(new Question(BakeryQuestion));
        Assert.Equal("bakery", answer.Citations[0].SourceId);
        Assert.Contains("2021", answer.Citations[0].Quote, StringComparison.Ordinal);

        workspace.Write("bakery.txt", Bakery(2022));
        var updated = await engine.ReloadAsync();
        Assert.Equal((0, 1, 0, 1), (updated.Added, updated.Updated, updated.Removed, updated.Unchanged));
        answer = await engine.AskAsync(new Question(BakeryQuestion));
        Assert.Contains("2022", answer.Citations[0].Quote, StringComparison.Ordinal);

        workspace.Delete("bakery.txt");
        var removed = await engine.ReloadAsync();
        Assert.Equal((0, 0, 1, 1), (removed.Added, removed.Updated, removed.Removed, removed.Unchanged));
        Assert.Equal(Workspace.SeedId, Assert.Single(engine.ListSources()).Id);
        answer = await engine.AskAsync(new Question(BakeryQuestion));
        Assert.DoesNotContain(answer.Citations, c => c.SourceId == "bakery");

        // The store agrees with what is served.
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.Equal(Workspace.SeedId, Assert.Single(stored.Sources).Article.Id);
    }

    private static (int Added, int Updated, int Removed, int Unchanged) Counts(ReloadReport report) =>
        (report.Added, report.Updated, report.Removed, report.Unchanged);

    /// <summary>The seed and the bakery article, indexed and stored by a first process.</summary>
    private static async Task<Workspace> IndexedSeedAndBakeryAsync()
    {
        var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2023));
        using var first = workspace.BuildHost();
        Assert.Equal(2, (await first.IngestAsync()).Added);
        return workspace;
    }

    /// <summary>A later process over the same store: it loads what is stored, then reloads the seeds folder, counting what it embeds.</summary>
    private static async Task<(IHost Host, WatchedEmbeddings Watched, ReloadReport Report)> ReloadInNewProcessAsync(
        Workspace workspace, Dictionary<string, string?>? settings = null)
    {
        WatchedEmbeddings watched = null!;
        var host = workspace.BuildHost(real => watched = new WatchedEmbeddings(real), settings);
        await host.Ingestor().LoadStoredAsync();
        return (host, watched, await host.Engine().ReloadAsync());
    }

    [Fact]
    public async Task A_moved_seeds_folder_is_stored_under_its_new_paths_without_embedding_again()
    {
        using var workspace = await IndexedSeedAndBakeryAsync();
        var movedSeeds = Path.Combine(workspace.Root, "moved-seeds");
        Directory.Move(workspace.Seeds, movedSeeds);

        var (moved, watched, report) = await ReloadInNewProcessAsync(workspace, new() { ["Ingestion:SeedsPath"] = movedSeeds });
        using var _ = moved;

        Assert.Equal((0, 2, 0, 0), Counts(report));
        Assert.Equal(0, watched.Texts);
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.All(stored.Sources, s => Assert.StartsWith(movedSeeds, s.Article.Path, StringComparison.Ordinal));
        var answer = await moved.Engine().AskAsync(new Question(BakeryQuestion));
        Assert.Contains("Riverside bakery won the national bread prize in 2023", answer.Citations[0].Quote, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 2), Counts(await moved.Engine().ReloadAsync()));
    }

    [Fact]
    public async Task New_chunking_settings_re_read_and_re_cut_every_stored_article_once()
    {
        using var workspace = await IndexedSeedAndBakeryAsync();
        int chunksBefore;
        using (var stored = workspace.BuildHost())
        {
            await stored.Ingestor().LoadStoredAsync();
            chunksBefore = stored.Engine().ListSources().Sum(s => s.Chunks);
        }

        var (recut, watched, report) = await ReloadInNewProcessAsync(workspace, new() { ["Ingestion:Chunking:MaxTokens"] = "48" });
        using var _ = recut;

        Assert.Equal((0, 2, 0, 0), Counts(report));
        Assert.True(watched.Texts > 0);
        Assert.True(recut.Engine().ListSources().Sum(s => s.Chunks) > chunksBefore);
        Assert.Equal((0, 0, 0, 2), Counts(await recut.Engine().ReloadAsync()));
    }

    [Fact]
    public async Task An_index_from_before_reading_rules_were_recorded_is_read_again_without_embedding_again()
    {
        using var workspace = await IndexedSeedAndBakeryAsync();
        // Such an index holds each file's bare SHA-256, with nothing saying which rules read it.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={workspace.IndexPath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE sources SET content_hash = substr(content_hash, 1, 64)";
            Assert.Equal(2, await command.ExecuteNonQueryAsync());
        }

        var (upgraded, watched, report) = await ReloadInNewProcessAsync(workspace);
        using var _ = upgraded;

        Assert.Equal((0, 2, 0, 0), Counts(report));
        Assert.Equal(0, watched.Texts);
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.All(stored.Sources, s => Assert.Contains('/', s.Article.ContentHash));
        Assert.Equal((0, 0, 0, 2), Counts(await upgraded.Engine().ReloadAsync()));
    }

    [Fact]
    public async Task A_file_renamed_to_another_format_is_embedded_again_as_it_now_reads()
    {
        using var workspace = new Workspace(withSeed: false);
        workspace.Write("bakery.txt", "Riverside bakery wins bread prize\n\nThe **Riverside bakery** won the national bread prize in 2023, beating two hundred rivals.\n");
        using (var first = workspace.BuildHost())
            Assert.Equal(1, (await first.IngestAsync()).Added);
        File.Move(Path.Combine(workspace.Seeds, "bakery.txt"), Path.Combine(workspace.Seeds, "bakery.md"));

        WatchedEmbeddings watched = null!;
        using var renamed = workspace.BuildHost(real => watched = new WatchedEmbeddings(real));
        await renamed.Ingestor().LoadStoredAsync();
        var report = await renamed.Engine().ReloadAsync();

        Assert.Equal(1, report.Updated);
        Assert.True(watched.Texts > 0);
        var answer = await renamed.Engine().AskAsync(new Question(BakeryQuestion));
        Assert.Contains("The Riverside bakery won the national bread prize in 2023", answer.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broken_files_are_reported_by_name_and_the_others_load()
    {
        using var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2021));
        workspace.Write("photo.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]);
        // "Кафе протест" and a sentence in Windows-1251: no UTF-8, and no Latin-alphabet text read as Windows-1252 either.
        workspace.Write("cyrillic.txt", [0xCA, 0xE0, 0xF4, 0xE5, 0x20, 0xEF, 0xF0, 0xEE, 0xF2, 0xE5, 0xF1, 0xF2, 0x0A, 0x0A, 0xC2, 0xEB, 0xE0, 0xE4, 0xE5, 0xEB, 0xFC, 0xF6, 0xFB, 0x20, 0xEF, 0xF0, 0xEE, 0xF2, 0xE5, 0xF1, 0xF2, 0xF3, 0xFE, 0xF2, 0x2E, 0x0A]);
        workspace.Write("empty.md", []);
        using var host = workspace.BuildHost();

        var report = await host.Engine().ReloadAsync();

        Assert.Equal(2, report.Added);
        Assert.Equal(["cyrillic.txt", "empty.md", "photo.txt"], report.Problems.Select(p => Path.GetFileName(p.Path)).Order(StringComparer.Ordinal));
        Assert.All(report.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
        Assert.Equal([Workspace.SeedId, "bakery"], host.Engine().ListSources().Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_saved_in_windows1252_is_read_and_answered_from_with_a_warning_naming_it()
    {
        using var workspace = new Workspace();
        var logs = new TestLogs();
        var text = "Caf\u00E9 owners protest new rules\n\nThe owners of the Caf\u00E9 Lumi\u00E8re said the new opening hours were \u201Cunworkable\u201D and would cost them \u00A3400 a week.\n";
        workspace.Write("cafe.txt", System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text));
        using var host = workspace.BuildHost(configure: b => b.Logging.AddProvider(logs));

        var report = await host.Engine().ReloadAsync();
        var answer = await host.Engine().AskAsync(new Question("What did the caf\u00E9 owners say about the opening hours?"));

        Assert.Empty(report.Problems);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("cafe.txt as Windows-1252", StringComparison.Ordinal));
        Assert.Contains("the new opening hours were \u201Cunworkable\u201D and would cost them \u00A3400 a week.", answer.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_breaks_keeps_serving_its_last_good_version_across_restarts()
    {
        using var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2021));
        using (var host = workspace.BuildHost())
        {
            Assert.Equal(2, (await host.Engine().ReloadAsync()).Added);

            workspace.Write("bakery.txt", [0xFF, 0xFE, 0x00, 0x00, 0xC3, 0x28, 0x00, 0x01]);
            var report = await host.Engine().ReloadAsync();

            Assert.Equal("bakery.txt", Path.GetFileName(Assert.Single(report.Problems).Path));
            Assert.Equal((0, 0, 0), (report.Added, report.Updated, report.Removed));
            Assert.Equal(2, host.Engine().ListSources().Count);
            var answer = await host.Engine().AskAsync(new Question(BakeryQuestion));
            Assert.True(answer.Answered);
            Assert.Equal("bakery", answer.Citations[0].SourceId);
        }

        using var restarted = workspace.BuildHost();
        var again = await restarted.Engine().ReloadAsync();
        Assert.Single(again.Problems);
        var stillThere = await restarted.Engine().AskAsync(new Question(BakeryQuestion));
        Assert.Equal("bakery", stillThere.Citations[0].SourceId);
        Assert.Contains("2021", stillThere.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_change_re_embeds_everything_and_records_the_new_model()
    {
        using var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2021));
        using (var first = workspace.BuildHost())
            Assert.Equal(2, (await first.IngestAsync()).Added);
        Assert.Equal(SharedModel.ModelId, (await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath))).EmbeddingModelId);

        WatchedEmbeddings watched = null!;
        using (var changed = workspace.BuildHost(real => watched = new WatchedEmbeddings(real, "another-model@1")))
        {
            var report = await changed.IngestAsync();

            Assert.Equal(2, report.Added + report.Updated);
            Assert.Equal(0, report.Unchanged);
            Assert.Equal(report.Sentences + report.Chunks, watched.Texts);
            Assert.Equal("another-model@1", changed.Snapshot().EmbeddingModelId);
        }

        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.Equal("another-model@1", stored.EmbeddingModelId);
        Assert.Equal(2, stored.Sources.Count);
    }

    [Fact]
    public async Task After_a_model_change_a_deleted_file_does_not_come_back()
    {
        using var workspace = new Workspace();
        workspace.Write("bakery.txt", Bakery(2021));
        using (var first = workspace.BuildHost())
            Assert.Equal(2, (await first.IngestAsync()).Added);

        workspace.Delete("bakery.txt");
        using (var changed = workspace.BuildHost(real => new WatchedEmbeddings(real, "another-model@1")))
            await changed.IngestAsync();

        // Everything stored must come from the current model: nothing of the old index may survive.
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.Equal("another-model@1", stored.EmbeddingModelId);
        Assert.Equal(Workspace.SeedId, Assert.Single(stored.Sources).Article.Id);

        using var restarted = workspace.BuildHost(real => new WatchedEmbeddings(real, "another-model@1"));
        await restarted.Ingestor().LoadStoredAsync();
        Assert.Equal(Workspace.SeedId, Assert.Single(restarted.Engine().ListSources()).Id);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("short vector")]
    public async Task A_damaged_index_is_set_aside_and_rebuilt_from_the_seeds(string damage)
    {
        using var workspace = new Workspace();
        using (var first = workspace.BuildHost())
            Assert.Equal(1, (await first.IngestAsync()).Added);
        var original = await File.ReadAllBytesAsync(workspace.IndexPath);
        if (damage == "short vector")
        {
            // A database SQLite still opens, holding a sentence vector of half a value.
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={workspace.IndexPath};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE sentences SET vector = x'0011' WHERE idx = 3";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        else
        {
            await File.WriteAllBytesAsync(workspace.IndexPath, damage == "garbage"
                ? System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not an index ", 500)))
                : original[..(original.Length / 3)]);
        }

        foreach (var sidecar in new[] { "-wal", "-shm" })
            File.Delete(workspace.IndexPath + sidecar);
        var damaged = await File.ReadAllBytesAsync(workspace.IndexPath);

        using var second = workspace.BuildHost();
        var report = await second.IngestAsync();

        Assert.Equal(1, report.Added);
        Assert.True((await second.Engine().AskAsync(new Question("Why did the PMO decline the meeting?"))).Answered);
        var setAside = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!, "newsbot.db.damaged-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Equal(damaged, await File.ReadAllBytesAsync(setAside));
    }

    [Fact]
    public async Task A_named_pipe_and_an_empty_file_in_the_seeds_folder_are_reported_without_blocking_the_reload()
    {
        using var workspace = new Workspace();
        var pipe = Path.Combine(workspace.Seeds, "pipe.txt");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
            await mkfifo.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(workspace.Seeds, "empty.txt"), string.Empty);
        using var host = workspace.BuildHost();

        // Opening the pipe would wait for a writer forever; the bound only turns that hang into a failure.
        var report = await Task.Run(() => host.IngestAsync()).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, report.Added);
        Assert.Equal(["empty.txt", "pipe.txt"], report.Problems.Select(p => Path.GetFileName(p.Path)).Order(StringComparer.Ordinal));
        Assert.All(report.Problems, p => Assert.Equal("file is empty (or not a regular file)", p.Reason));
    }

    [Fact]
    public async Task A_link_out_of_the_seeds_folder_and_a_subfolder_are_reported_and_a_link_inside_is_read()
    {
        using var workspace = new Workspace();
        var outside = Path.Combine(workspace.Root, "private.txt");
        await File.WriteAllTextAsync(outside, Bakery(2021));
        File.CreateSymbolicLink(Path.Combine(workspace.Seeds, "escape.txt"), outside);
        File.CreateSymbolicLink(Path.Combine(workspace.Seeds, "alias.txt"), Path.Combine(workspace.Seeds, Workspace.SeedId + ".txt"));
        Directory.CreateDirectory(Path.Combine(workspace.Seeds, "archive"));
        using var host = workspace.BuildHost();

        var report = await host.IngestAsync();

        Assert.Equal(2, report.Problems.Count);
        var link = Assert.Single(report.Problems, p => p.Path.EndsWith("escape.txt", StringComparison.Ordinal));
        Assert.Contains("outside the seeds folder", link.Reason, StringComparison.Ordinal);
        Assert.Contains("folder", Assert.Single(report.Problems, p => p.Path.EndsWith("archive", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Equal([Workspace.SeedId, "alias"], host.Engine().ListSources().Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.False((await host.Engine().AskAsync(new Question(BakeryQuestion))).Answered);
    }
}
