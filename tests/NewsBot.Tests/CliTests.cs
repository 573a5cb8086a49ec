using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NewsBot.Answering;
using NewsBot.Ingestion;
using NewsBot.Tests.Support;

namespace NewsBot.Tests;

/// <summary>A folder the CLI runs in, with the seed ingested once by the first command.</summary>
public sealed class CliFixture : IDisposable
{
    public Workspace Workspace { get; } = new();

    public void Dispose() => Workspace.Dispose();
}

/// <summary>The built <c>newsbot</c> program run as a child process, as a user would run it.</summary>
public class CliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private sealed record Run(int ExitCode, string[] Out, string[] Err);

    private static async Task<Run> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "newsbot.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("NEWSBOT__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Run(process.ExitCode, Lines(await stdout), Lines(await stderr));
    }

    private Task<Run> RunAsync(params string[] args) => RunInAsync(fixture.Workspace.Root, Paths(), args);

    private Dictionary<string, string> Paths(params (string Key, string Value)[] more)
    {
        var env = new Dictionary<string, string>
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = fixture.Workspace.Seeds,
            ["NEWSBOT__Storage__IndexPath"] = fixture.Workspace.IndexPath,
        };
        foreach (var (key, value) in more)
            env[key] = value;
        return env;
    }

    private static void AssertCitation(JsonElement c, string seedText)
    {
        Assert.True(c.GetProperty("n").GetInt32() >= 1);
        Assert.Equal(Workspace.SeedId, c.GetProperty("sourceId").GetString());
        Assert.StartsWith("Netanyahu", c.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(c.GetProperty("paragraph").GetInt32() >= 1);
        var (start, end) = (c.GetProperty("start").GetInt32(), c.GetProperty("end").GetInt32());
        Assert.Equal(seedText[start..end], c.GetProperty("quote").GetString());
    }

    private static string SeedText() =>
        new ArticleReader().Read(Workspace.SeedSourcePath, File.ReadAllBytes(Workspace.SeedSourcePath)).Text;

    [Fact]
    public async Task Ask_json_prints_one_line_with_the_documented_fields()
    {
        var run = await RunAsync("ask", "Why did the PMO decline the meeting?", "--json");

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Out);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("Why did the PMO decline the meeting?", root.GetProperty("question").GetString());
        Assert.True(root.GetProperty("answered").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("answer").GetString()));
        Assert.True(root.GetProperty("elapsedMs").GetDouble() >= 0);
        var citations = root.GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(citations);
        var seedText = SeedText();
        citations.ForEach(c => AssertCitation(c, seedText));
        Assert.Contains(citations.Take(2), c => c.GetProperty("quote").GetString()!.Contains("heavy demands of his schedule", StringComparison.Ordinal));
        var shortAnswer = root.GetProperty("shortAnswer");
        if (shortAnswer.ValueKind != JsonValueKind.Null)
        {
            var (start, end) = (shortAnswer.GetProperty("start").GetInt32(), shortAnswer.GetProperty("end").GetInt32());
            Assert.Equal(seedText[start..end], shortAnswer.GetProperty("text").GetString());
            Assert.InRange(start, citations[0].GetProperty("start").GetInt32(), citations[0].GetProperty("end").GetInt32());
            Assert.StartsWith(shortAnswer.GetProperty("text").GetString()!, root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_reader_model_is_one_line_naming_the_path_and_the_setting()
    {
        var missing = Path.Combine(fixture.Workspace.Root, "no-model", "reader.onnx");
        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__Reader__ModelPath", missing)), "ask", "Why did the PMO decline the meeting?");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        var error = Assert.Single(run.Err);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Contains("Answering:Reader:ModelPath", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_reader_disabled_the_rule_based_engine_still_answers()
    {
        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__Reader__Enabled", "false")), "ask", "Why did the PMO decline the meeting?", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        Assert.True(json.RootElement.GetProperty("answered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("shortAnswer").ValueKind);
    }

    [Fact]
    public async Task Ask_text_shows_the_quote_and_its_citation()
    {
        var run = await RunAsync("ask", "Who won the 2018 World Cup?");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Out, l => l.Contains("doesn't say", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Out, l => l.StartsWith("[1]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_question_exits_2_with_the_usage_hint()
    {
        var run = await RunAsync("ask", "");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal(QuestionGuard.UsageHint, Assert.Single(run.Err));
    }

    [Fact]
    public async Task An_over_long_question_exits_2_naming_the_limit()
    {
        var run = await RunAsync("ask", new string('w', 600));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("500", Assert.Single(run.Err), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("ask", "--bogus", "Why?")]
    [InlineData("sources", "--bogus")]
    [InlineData("summary", "--length", "huge")]
    public async Task Unknown_verbs_and_options_exit_2(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.NotEmpty(run.Err);
    }

    [Fact]
    public async Task A_malformed_appsettings_file_exits_2_with_one_line_naming_it()
    {
        using var elsewhere = new Workspace(withSeed: false);
        await File.WriteAllTextAsync(Path.Combine(elsewhere.Root, "appsettings.json"), "{ \"Answering\": { \"MaxQuestionLength\": 100, ");

        var run = await RunInAsync(elsewhere.Root, null, "ask", "Why?");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Err);
        Assert.Contains("appsettings.json", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_setting_exits_2_with_one_line_naming_the_key()
    {
        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__MaxQuestionLength", "3")), "ask", "Why?");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("configuration error: Answering:MaxQuestionLength: ", Assert.Single(run.Err), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_embedding_model_exits_2_naming_the_key_and_the_choices()
    {
        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Embeddings__Model", "bge-huge")), "ask", "Why?");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Err);
        Assert.Contains("Embeddings:Model", line, StringComparison.Ordinal);
        Assert.Contains("ArcticXs, MiniLM", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_short_json_has_three_verbatim_citations()
    {
        var run = await RunAsync("summary", "--length", "short", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        Assert.Equal(Workspace.SeedId, json.RootElement.GetProperty("sourceId").GetString());
        var citations = json.RootElement.GetProperty("citations").EnumerateArray().ToList();
        Assert.Equal(3, citations.Count);
        var seedText = SeedText();
        citations.ForEach(c => AssertCitation(c, seedText));
    }

    [Fact]
    public async Task Sources_json_lists_the_seed_with_its_counts()
    {
        var run = await RunAsync("sources", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        var source = json.RootElement;
        Assert.Equal(Workspace.SeedId, source.GetProperty("id").GetString());
        Assert.StartsWith("Netanyahu", source.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(source.GetProperty("paragraphs").GetInt32() > 10);
        Assert.True(source.GetProperty("sentences").GetInt32() > 20);
        Assert.True(source.GetProperty("chunks").GetInt32() > 0);
    }

    [Fact]
    public async Task Relative_default_paths_resolve_against_the_working_directory()
    {
        using var local = new Workspace();

        var run = await RunInAsync(local.Root, null, "ask", "Why did the PMO decline the meeting?", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(local.Root, "data", "newsbot.db")));
    }
}
