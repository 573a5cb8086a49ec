using System.Text.Json;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>What a user and a hostile user do to the <c>newsbot</c> process: damaged files, Ctrl-C, odd folders.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // signals and file modes
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

    /// <summary>A workspace whose seed article the <c>ingest</c> verb has indexed.</summary>
    private static async Task<Workspace> IngestedAsync()
    {
        var workspace = new Workspace();
        using var ingest = await RunAsync(workspace, "ingest");
        Assert.Equal(0, await ingest.WaitForExitAsync());
        return workspace;
    }

    /// <summary>
    /// <c>ask --json</c> while <paramref name="path"/> has <paramref name="mode"/>, bound by it even when the tests run as
    /// root; the mode is put back afterwards, so the workspace can be deleted.
    /// </summary>
    private static async Task<NewsBotProcess> AskWithModeAsync(Workspace workspace, string path, UnixFileMode mode)
    {
        var before = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode);
        try
        {
            var ask = NewsBotProcess.StartBoundByPermissions(workspace.Root, Paths(workspace), "ask", Question, "--json");
            ask.Input.Close();
            await ask.WaitForExitAsync();
            return ask;
        }
        finally
        {
            File.SetUnixFileMode(path, before);
        }
    }

    private const UnixFileMode ReadOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead
        | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Copies of the seed article that differ, so each is read and embedded.</summary>
    /// <summary>The process exited 0 with one JSON line on standard output, an answer.</summary>
    private static async Task AssertAnsweredAsync(NewsBotProcess ask)
    {
        Assert.Equal(0, await ask.WaitForExitAsync());
        using var json = JsonDocument.Parse(Assert.Single(ask.Out));
        Assert.True(json.RootElement.GetProperty("answered").GetBoolean());
    }

    private static void AddCopies(Workspace workspace, int count)
    {
        var text = File.ReadAllText(Workspace.SeedSourcePath);
        for (var i = 1; i <= count; i++)
            workspace.Write($"copy{i:D2}.txt", text + $"\n\nEditor's note {i}: this copy is number {i}.\n");
    }

    [Fact]
    public async Task A_damaged_index_is_set_aside_with_one_warning_and_the_question_is_answered()
    {
        using var workspace = await IngestedAsync();
        await File.WriteAllTextAsync(workspace.IndexPath, string.Concat(Enumerable.Repeat("garbage over the index ", 300)));

        using var ask = await RunAsync(workspace, "ask", Question, "--json");

        await AssertAnsweredAsync(ask);
        // The warning, then the rebuild's progress (the start and end lines a redirected standard error gets).
        Assert.Contains("damaged", ask.Err[0], StringComparison.Ordinal);
        Assert.Single(ask.Err, l => l.Contains("damaged", StringComparison.Ordinal));
        Assert.Equal(2, ask.Err.Count(l => l.StartsWith("Index", StringComparison.Ordinal)));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!, "newsbot.db.damaged-*"));
    }

    [Fact]
    public async Task Ctrl_C_during_ingest_stops_with_one_line_and_exit_130_leaving_the_last_good_index()
    {
        using var workspace = await IngestedAsync();
        AddCopies(workspace, 12);

        using var ingest = NewsBotProcess.StartInterruptible(workspace.Root, Paths(workspace), "ingest");
        await ingest.WaitForOutputAsync(l => l.StartsWith("reading copy12", StringComparison.Ordinal));
        await Task.Delay(500);
        ingest.Interrupt();

        var code = await ingest.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 130, $"exit {code}; out: {string.Join(" | ", ingest.Out.TakeLast(4))}; err: {string.Join(" | ", ingest.Err)}");
        Assert.Equal("interrupted", Assert.Single(ingest.Err));
        var stored = await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath));
        Assert.True(stored.Sources.Count == 1, "stored: " + string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(workspace.IndexPath)!).Select(Path.GetFileName)) + " | " + string.Join(" | ", ingest.Out.TakeLast(3)));
        Assert.Equal(Workspace.SeedId, stored.Sources[0].Article.Id);
    }

    [Fact]
    public async Task Ctrl_C_in_the_chat_exits_130_with_one_line()
    {
        using var workspace = await IngestedAsync();
        using var chat = NewsBotProcess.StartInterruptible(workspace.Root, Paths(workspace), "chat");
        await chat.Input.WriteLineAsync("/sources");
        await chat.Input.FlushAsync();
        await chat.WaitForOutputAsync(l => l.Contains(Workspace.SeedId, StringComparison.Ordinal));

        chat.Interrupt();

        // Unwinding waits for the models' background loads, which a busy machine can stretch to many seconds.
        var exited = await Task.Run(() => chat.WaitForExitAsync(TimeSpan.FromSeconds(90))).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (int?)null, TaskScheduler.Default);
        Assert.True(exited == 130, $"exit {exited?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none within 90 s"}; err: {string.Join(" | ", chat.Err)}");
        Assert.Equal("interrupted", Assert.Single(chat.Err));
    }

    [Fact]
    public async Task Ask_with_changed_articles_says_on_stderr_that_it_indexes_them_and_answers_from_the_new_index()
    {
        using var workspace = await IngestedAsync();
        AddCopies(workspace, 2);

        using var ask = await RunAsync(workspace, "ask", Question, "--json");

        // Standard output keeps its one JSON line; the progress went to standard error, as a start and an end line.
        await AssertAnsweredAsync(ask);
        Assert.Equal(2, ask.Err.Length);
        Assert.Equal("Indexing 2 new or changed articles before answering…", ask.Err[0]);
        Assert.StartsWith("Index updated: 2 added, 0 updated, 0 removed, 1 unchanged;", ask.Err[1], StringComparison.Ordinal);
        Assert.Equal(3, (await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath))).Sources.Count);
    }

    [Fact]
    public async Task Ask_with_nothing_changed_prints_nothing_on_stderr()
    {
        using var workspace = await IngestedAsync();

        using var ask = await RunAsync(workspace, "ask", Question, "--json");

        Assert.Equal(0, await ask.WaitForExitAsync());
        Assert.Empty(ask.Err);
    }

    [Fact]
    public async Task The_chat_answers_from_the_stored_index_at_once_while_changed_articles_are_indexed_in_the_background()
    {
        using var workspace = await IngestedAsync();
        // Enough that embedding them takes far longer than answering one question from the stored index.
        AddCopies(workspace, 30);

        using var chat = NewsBotProcess.Start(workspace.Root, Paths(workspace), "chat");
        await chat.Input.WriteLineAsync(Question);
        await chat.Input.FlushAsync();
        await chat.WaitForOutputAsync(l => l.Contains("heavy demands of his schedule", StringComparison.Ordinal));

        // Answered while the refresh still ran: it said so first, and has not finished.
        Assert.Equal("Indexing 30 new or changed articles in the background; until it is done, answers come from the index stored before.", Assert.Single(chat.Err, l => l.StartsWith("Indexing", StringComparison.Ordinal)));
        Assert.DoesNotContain(chat.Err, l => l.StartsWith("Index updated", StringComparison.Ordinal));
        chat.Input.Close();
        Assert.Equal(0, await chat.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task The_chat_with_no_stored_index_indexes_first_and_says_so()
    {
        using var workspace = new Workspace();
        using var chat = NewsBotProcess.Start(workspace.Root, Paths(workspace), "chat");
        await chat.Input.WriteLineAsync(Question);
        chat.Input.Close();

        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.Contains(chat.Out, l => l.Contains("heavy demands of his schedule", StringComparison.Ordinal));
        Assert.Equal("Indexing 1 new or changed article before answering…", chat.Err[0]);
        Assert.StartsWith("Index updated: 1 added", chat.Err[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_data_folder_answers_from_the_stored_index_with_one_warning_naming_it()
    {
        using var workspace = await IngestedAsync();
        AddCopies(workspace, 1);
        var data = Path.GetDirectoryName(workspace.IndexPath)!;

        using var ask = await AskWithModeAsync(workspace, data, ReadOnlyFolder);

        await AssertAnsweredAsync(ask);
        var warning = Assert.Single(ask.Err); // found before the minutes of embedding: no "Indexing…" line
        Assert.StartsWith($"warning: cannot write the index in {data} (", warning, StringComparison.Ordinal);
        Assert.Contains("answering from the stored index (version 1)", warning, StringComparison.Ordinal);
        Assert.Single((await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath))).Sources);
    }

    [Fact]
    public async Task An_unreadable_seeds_folder_answers_from_the_stored_index_with_one_warning_naming_it()
    {
        using var workspace = await IngestedAsync();

        using var ask = await AskWithModeAsync(workspace, workspace.Seeds, UnixFileMode.None);

        await AssertAnsweredAsync(ask);
        Assert.Equal(
            $"warning: cannot read the seeds folder {workspace.Seeds} (permission denied); answering from the stored index (version 1) as it is.",
            Assert.Single(ask.Err));
        // Nothing was taken for deleted: the article is still stored.
        Assert.Single((await StoredContents.ReadAsync(new SqliteIndexStore(workspace.IndexPath))).Sources);
    }

    [Fact]
    public async Task An_unreadable_seeds_folder_with_no_stored_index_fails_with_one_line()
    {
        using var workspace = new Workspace();

        using var ask = await AskWithModeAsync(workspace, workspace.Seeds, UnixFileMode.None);

        Assert.Equal(1, await ask.WaitForExitAsync());
        Assert.Empty(ask.Out);
        Assert.Equal($"error: cannot read the seeds folder {workspace.Seeds} (permission denied)", Assert.Single(ask.Err));
    }

    [Fact]
    public async Task Run_with_the_health_port_taken_exits_2_with_one_line_naming_the_setting_and_the_address()
    {
        using var workspace = new Workspace();
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)occupant.LocalEndpoint).Port}";

        using var run = NewsBotProcess.Start(workspace.Root, new Dictionary<string, string>(Paths(workspace)) { ["NEWSBOT__Health__ListenUrl"] = url }, "run");
        run.Input.Close();

        Assert.Equal(2, await run.WaitForExitAsync());
        Assert.Empty(run.Out);
        Assert.Equal(
            $"configuration error: Health:ListenUrl: cannot listen on {url}: the address is already in use (another process listens there)",
            Assert.Single(run.Err));
    }

    [Theory]
    [InlineData("INT", 130, "interrupted")]
    [InlineData("TERM", 143, "terminated")]
    public async Task Run_serving_health_stops_on_a_signal_with_its_exit_code_and_one_line(string signal, int exitCode, string line)
    {
        using var workspace = await IngestedAsync();
        var env = new Dictionary<string, string>(Paths(workspace)) { ["NEWSBOT__Health__ListenUrl"] = "http://127.0.0.1:0" };
        using var run = NewsBotProcess.StartInterruptible(workspace.Root, env, "run");
        await run.WaitForErrorAsync(l => l.Contains("Health and metrics on http://127.0.0.1:", StringComparison.Ordinal));
        // Start-up's reload of the sources logs when it ends; signalled before that, its line may follow the signal's.
        await run.WaitForErrorAsync(l => l.Contains("Reloaded sources:", StringComparison.Ordinal));

        run.Signal(signal);

        var exited = await Task.Run(() => run.WaitForExitAsync(TimeSpan.FromSeconds(90))).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (int?)null, TaskScheduler.Default);
        Assert.True(exited == exitCode, $"exit {exited?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none within 90 s"}; err: {string.Join(" | ", run.Err)}");
        Assert.Equal(line, run.Err[^1]);
        Assert.DoesNotContain(run.Err, l => l.Contains("fail:", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal));
    }
}
