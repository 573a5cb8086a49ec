using System.Text.Json;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>What a user and a hostile user do to the <c>newsbot</c> process: damaged files, Ctrl-C, odd folders.</summary>
public sealed class ProcessTests
{
    private const string Question = "Why did the PMO decline the meeting?";

    private static Dictionary<string, string> Paths(Workspace workspace) => new()
    {
        ["NEWSBOT__Ingestion__SeedsPath"] = workspace.Seeds,
        ["NEWSBOT__Storage__IndexPath"] = workspace.IndexPath,
    };

    private static async Task<NewsBotProcess> RunAsync(Workspace workspace, params string[] args)
    {
        var process = NewsBotProcess.Start(workspace.Root, Paths(workspace), args);
        process.Input.Close();
        await process.WaitForExitAsync();
        return process;
    }

    /// <summary>Copies of the seed article that differ, so each is read and embedded.</summary>
    private static void AddCopies(Workspace workspace, int count)
    {
        var text = File.ReadAllText(Workspace.SeedSourcePath);
        for (var i = 1; i <= count; i++)
            workspace.Write($"copy{i:D2}.txt", text + $"\n\nEditor's note {i}: this copy is number {i}.\n");
    }

    [Fact]
    public async Task A_damaged_index_is_set_aside_with_one_warning_and_the_question_is_answered()
    {
        using var workspace = new Workspace();
        using (var first = await RunAsync(workspace, "ingest"))
            Assert.Equal(0, await first.WaitForExitAsync());
        await File.WriteAllTextAsync(workspace.IndexPath, string.Concat(Enumerable.Repeat("garbage over the index ", 300)));

        using var ask = await RunAsync(workspace, "ask", Question, "--json");

        Assert.Equal(0, await ask.WaitForExitAsync());
        using var json = JsonDocument.Parse(Assert.Single(ask.Out));
        Assert.True(json.RootElement.GetProperty("answered").GetBoolean());
        Assert.Contains("damaged", Assert.Single(ask.Err), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!, "newsbot.db.damaged-*"));
    }

    [Fact]
    public async Task Ctrl_C_during_ingest_stops_with_one_line_and_exit_130_leaving_the_last_good_index()
    {
        using var workspace = new Workspace();
        using (var first = await RunAsync(workspace, "ingest"))
            Assert.Equal(0, await first.WaitForExitAsync());
        AddCopies(workspace, 12);

        using var ingest = NewsBotProcess.Start(workspace.Root, Paths(workspace), "ingest");
        await ingest.WaitForOutputAsync(l => l.StartsWith("reading copy12", StringComparison.Ordinal));
        await Task.Delay(500);
        ingest.Interrupt();

        Assert.Equal(130, await ingest.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("interrupted", Assert.Single(ingest.Err));
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.True(stored.Sources.Count == 1, "stored: " + string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!).Select(Path.GetFileName)) + " | " + string.Join(" | ", ingest.Out.TakeLast(3)));
        Assert.Equal(Workspace.SeedId, stored.Sources[0].Article.Id);
    }

    [Fact]
    public async Task Ctrl_C_in_the_chat_exits_130_with_one_line()
    {
        using var workspace = new Workspace();
        using var chat = NewsBotProcess.Start(workspace.Root, Paths(workspace), "chat");
        await chat.Input.WriteLineAsync("/sources");
        await chat.Input.FlushAsync();
        await chat.WaitForOutputAsync(l => l.Contains(Workspace.SeedId, StringComparison.Ordinal));

        chat.Interrupt();

        Assert.Equal(130, await chat.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("interrupted", Assert.Single(chat.Err));
    }
}
