using System.Diagnostics;
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
        using var process = NewsBotProcess.Start(workingDirectory, environment, args);
        process.Input.Close();
        var exitCode = await process.WaitForExitAsync();
        return new Run(exitCode, process.Out, process.Err);
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
    public async Task A_confident_short_answer_leads_the_reply_from_the_first_quote_unless_the_setting_turns_short_answers_off()
    {
        const string Question = "How long did US agencies have to remove Kaspersky products?";
        var led = await RunAsync("ask", Question, "--json");
        var off = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__Reader__MinShortAnswerProbability", "1")), "ask", Question, "--json");

        using var ledJson = JsonDocument.Parse(Assert.Single(led.Out));
        using var offJson = JsonDocument.Parse(Assert.Single(off.Out));
        var shortAnswer = ledJson.RootElement.GetProperty("shortAnswer");
        Assert.Equal("90 days", shortAnswer.GetProperty("text").GetString());
        var (start, end) = (shortAnswer.GetProperty("start").GetInt32(), shortAnswer.GetProperty("end").GetInt32());
        Assert.Equal("90 days", SeedText()[start..end]);
        var first = ledJson.RootElement.GetProperty("citations")[0];
        Assert.InRange(start, first.GetProperty("start").GetInt32(), first.GetProperty("end").GetInt32() - 7);
        Assert.StartsWith("90 days. ", ledJson.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, offJson.RootElement.GetProperty("shortAnswer").ValueKind);
        Assert.Equal(first.GetProperty("quote").GetString(), offJson.RootElement.GetProperty("citations")[0].GetProperty("quote").GetString());
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
    public async Task A_corrupt_reader_model_loading_in_the_background_is_one_line_at_the_question()
    {
        var shipped = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Workspace.SeedSourcePath))!, "models", "reader");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Workspace.Root, "corrupt-model")).FullName;
        File.Copy(Path.Combine(shipped, "vocab.txt"), Path.Combine(folder, "vocab.txt"), overwrite: true);
        File.Copy(Path.Combine(shipped, "reader.json"), Path.Combine(folder, "reader.json"), overwrite: true);
        File.Copy(Path.Combine(shipped, "fusion.json"), Path.Combine(folder, "fusion.json"), overwrite: true);
        var model = Path.Combine(folder, "reader.onnx");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(shipped, "reader.onnx"));
        await File.WriteAllBytesAsync(model, bytes[..(bytes.Length / 3)]);
        // Indexed first, so that the only lines on stderr are the question's (run alone, this test would see indexing's too).
        Assert.Equal(0, (await RunAsync("ingest")).ExitCode);

        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__Reader__ModelPath", model)), "ask", "Why did the PMO decline the meeting?");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        var error = Assert.Single(run.Err);
        Assert.Contains(model, error, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("?!")]
    [InlineData("...")]
    [InlineData("🤔 ?")]
    public async Task A_question_without_a_word_exits_2_with_the_usage_hint_like_an_empty_one(string question)
    {
        var text = await RunAsync("ask", question);
        var json = await RunAsync("ask", question, "--json");

        Assert.Equal((2, 2), (text.ExitCode, json.ExitCode));
        Assert.Empty(text.Out);
        Assert.Empty(json.Out);
        Assert.Equal(QuestionGuard.UsageHint, Assert.Single(text.Err));
        Assert.Equal(QuestionGuard.UsageHint, Assert.Single(json.Err));
    }

    [Fact]
    public async Task An_unknown_source_exits_2_whether_the_question_is_an_argument_or_read_from_standard_input()
    {
        // Indexed first, so that the only lines on stderr are the questions' (run alone, this test would see indexing's too).
        Assert.Equal(0, (await RunAsync("ingest")).ExitCode);
        var argument = await RunAsync("ask", "Why did the PMO decline the meeting?", "--source", "no-such-article");
        using var piped = NewsBotProcess.Start(fixture.Workspace.Root, Paths(), "ask", "--source", "no-such-article");
        await piped.Input.WriteLineAsync("Why did the PMO decline the meeting?");
        await piped.Input.WriteLineAsync("Who is Eugene Kaspersky?");
        piped.Input.Close();

        Assert.Equal(2, argument.ExitCode);
        Assert.StartsWith("There is no article 'no-such-article'.", Assert.Single(argument.Err), StringComparison.Ordinal);
        Assert.Equal(2, await piped.WaitForExitAsync());
        Assert.Empty(piped.Out);
        Assert.StartsWith("There is no article 'no-such-article'.", Assert.Single(piped.Err), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_source_is_echoed_without_escape_sequences_or_control_characters()
    {
        Assert.Equal(0, (await RunAsync("ingest")).ExitCode);

        var run = await RunAsync("summary", "--source", "no-such\u001B[31m-article\u0007");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("There is no article 'no-such-article'.", Assert.Single(run.Err), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_and_a_refused_answer_is_a_successful_run()
    {
        var help = await RunAsync("--help");
        var refused = await RunAsync("ask", "Who won the 2018 World Cup?", "--json");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains(help.Out, l => l.TrimStart().StartsWith("ask", StringComparison.Ordinal));
        Assert.Equal(0, refused.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(refused.Out));
        Assert.False(json.RootElement.GetProperty("answered").GetBoolean());
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
    [InlineData("bench", "--scale", "lots")]
    [InlineData("bench", "--keep", "prepared-archive")]
    public async Task Unknown_verbs_and_options_exit_2(params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.StartsWith("error: ", run.Err[0], StringComparison.Ordinal);
        Assert.Equal("Try `newsbot --help`.", run.Err[^1]);
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
    public async Task A_malformed_config_file_is_one_line_saying_where_the_json_breaks()
    {
        using var elsewhere = new Workspace(withSeed: false);
        var config = Path.Combine(elsewhere.Root, "extra.json");
        await File.WriteAllTextAsync(config, "{\n  \"Answering\": {\n    \"MaxQuestionLength\": 100,,\n  }\n}\n");

        var run = await RunInAsync(elsewhere.Root, null, "ask", "Why?", "--config", config);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Err);
        Assert.StartsWith($"configuration error: Failed to load configuration from file '{config}'. Could not parse the JSON file. ", line, StringComparison.Ordinal);
        Assert.EndsWith("(line 3, byte 30)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_eval_line_is_described_once()
    {
        using var elsewhere = new Workspace(withSeed: false);
        await File.WriteAllTextAsync(Path.Combine(elsewhere.Root, "questions.jsonl"), "{\"bad json\n");

        var run = await RunInAsync(elsewhere.Root, null, "eval", "--dataset", elsewhere.Root);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Err);
        Assert.StartsWith("configuration error: " + Path.Combine(elsewhere.Root, "questions.jsonl") + ":1: not a JSON object (", line, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "Expected end of string"));
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
    public async Task Sources_json_with_no_articles_prints_no_line_at_all()
    {
        // Every line of --json output is an object; the harness's line reader would drop an empty one, so stdout is read whole.
        using var local = new Workspace(withSeed: false);
        var env = new Dictionary<string, string> { ["NEWSBOT__Ingestion__SeedsPath"] = local.Seeds, ["NEWSBOT__Storage__IndexPath"] = local.IndexPath };
        using var process = Process.Start(MultiProcess.CliProcess.StartInfo(local.Root, env, ["sources", "--json"]))!;
        process.StandardInput.Close();
        var (output, errors) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, await output);
        Assert.Equal(string.Empty, await errors);
    }

    [Fact]
    public async Task Relative_default_paths_resolve_against_the_working_directory()
    {
        using var local = new Workspace();

        var run = await RunInAsync(local.Root, null, "ask", "Why did the PMO decline the meeting?", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(Path.Combine(local.Root, "data", "newsbot.db")));
    }

    [Fact]
    public async Task A_question_starting_with_at_is_a_question_not_a_response_file()
    {
        var file = Path.Combine(fixture.Workspace.Root, "question.txt");
        await File.WriteAllTextAsync(file, "Why did the PMO decline the meeting?");

        var mention = await RunAsync("ask", "@everyone Why did the PMO decline the meeting?", "--json");
        var atFile = await RunAsync("ask", "@" + file, "--json");

        Assert.Equal(0, mention.ExitCode);
        using var answer = JsonDocument.Parse(Assert.Single(mention.Out));
        Assert.Equal("@everyone Why did the PMO decline the meeting?", answer.RootElement.GetProperty("question").GetString());
        Assert.True(answer.RootElement.GetProperty("answered").GetBoolean());
        using var notRead = JsonDocument.Parse(Assert.Single(atFile.Out));
        Assert.Equal("@" + file, notRead.RootElement.GetProperty("question").GetString());
    }

    [Fact]
    public async Task An_unquoted_question_is_the_remaining_words()
    {
        var run = await RunAsync("ask", "Why", "did", "the", "PMO", "decline", "the", "meeting?", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Out));
        Assert.Equal("Why did the PMO decline the meeting?", json.RootElement.GetProperty("question").GetString());
        Assert.True(json.RootElement.GetProperty("answered").GetBoolean());
    }

    [Fact]
    public async Task Chat_front_end_settings_in_the_environment_do_not_stop_other_verbs()
    {
        // A token exported for `run` is a known setting in every verb, not a misspelt one.
        var run = await RunInAsync(fixture.Workspace.Root, Paths(
            ("NEWSBOT__Discord__Token", "discord-token-for-run"), ("NEWSBOT__Slack__BotToken", "xoxb-for-run"),
            ("NEWSBOT__Slack__AppToken", "xapp-for-run")), "sources", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(run.Err, line => line.Contains("is not a NewsBot setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_embedding_provider_is_one_line_without_the_key()
    {
        using var local = new Workspace();
        const string key = "sk-remote-embeddings-secret";
        var env = new Dictionary<string, string>
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = local.Seeds,
            ["NEWSBOT__Storage__IndexPath"] = local.IndexPath,
            ["NEWSBOT__Llm__Embeddings__Provider"] = "openai",
            ["NEWSBOT__Llm__Embeddings__Model"] = "text-embedding-3-small",
            ["NEWSBOT__Llm__Embeddings__Endpoint"] = "http://127.0.0.1:9/v1",
            ["NEWSBOT__Llm__Embeddings__ApiKey"] = key,
        };

        var ask = await RunInAsync(local.Root, env, "ask", "Why did the PMO decline the meeting?");

        Assert.Equal(1, ask.ExitCode);
        Assert.Empty(ask.Out);
        Assert.Equal(
            "error: cannot embed the articles: the embedding provider (Llm:Embeddings) is unavailable: the provider could not be reached",
            ask.Err[^1]);
        Assert.DoesNotContain(ask.Err, l => l.Contains(key, StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_misspelt_setting_exits_2_naming_it_and_the_nearest_known_key()
    {
        var run = await RunInAsync(fixture.Workspace.Root, Paths(("NEWSBOT__Answering__MaxQuestionLenght", "100")), "ask", "Why?");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "configuration error: Answering:MaxQuestionLenght is not a NewsBot setting; did you mean Answering:MaxQuestionLength?",
            Assert.Single(run.Err));
    }

    [Fact]
    public async Task A_missing_seeds_folder_exits_2_and_leaves_no_data_folder()
    {
        using var elsewhere = new Workspace(withSeed: false);
        var missing = Path.Combine(elsewhere.Root, "no-such-seeds");
        var env = new Dictionary<string, string> { ["NEWSBOT__Ingestion__SeedsPath"] = missing, ["NEWSBOT__Storage__IndexPath"] = elsewhere.IndexPath };

        var run = await RunInAsync(elsewhere.Root, env, "ask", "Why?");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, Assert.Single(run.Err), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(elsewhere.IndexPath)));
    }

    [Fact]
    public async Task Paths_naming_the_wrong_kind_of_thing_exit_2_saying_so()
    {
        using var elsewhere = new Workspace();
        var seedFile = Directory.GetFiles(elsewhere.Seeds).Single();
        var env = new Dictionary<string, string> { ["NEWSBOT__Ingestion__SeedsPath"] = elsewhere.Seeds, ["NEWSBOT__Storage__IndexPath"] = elsewhere.IndexPath };

        var seedsIsAFile = await RunInAsync(elsewhere.Root, new Dictionary<string, string>(env) { ["NEWSBOT__Ingestion__SeedsPath"] = seedFile }, "ask", "Why?");
        var indexIsAFolder = await RunInAsync(elsewhere.Root, new Dictionary<string, string>(env) { ["NEWSBOT__Storage__IndexPath"] = elsewhere.Seeds }, "ask", "Why?");
        var configIsAFolder = await RunInAsync(elsewhere.Root, env, "ask", "Why?", "--config", elsewhere.Seeds);

        Assert.Equal((2, $"configuration error: The seeds folder {seedFile} is a file, not a folder (set Ingestion:SeedsPath)."), (seedsIsAFile.ExitCode, Assert.Single(seedsIsAFile.Err)));
        Assert.Equal((2, "configuration error: Storage:IndexPath names a folder; give the path of the index file, such as data/newsbot.db."), (indexIsAFolder.ExitCode, Assert.Single(indexIsAFolder.Err)));
        Assert.Equal((2, $"configuration error: --config: {elsewhere.Seeds} is a folder, not a settings file."), (configIsAFolder.ExitCode, Assert.Single(configIsAFolder.Err)));
    }

    [Fact]
    public async Task Eval_on_a_summary_set_scores_the_closest_reference_and_the_lead_baseline()
    {
        using var elsewhere = new Workspace(withSeed: false);
        const string lead = "The city council voted on Monday to close the old bridge. Engineers had found deep cracks in two of its piers last month. Repairs would cost more than a new crossing, the council said.";
        const string rest = " Residents will use a ferry service until the new bridge opens. Work on the replacement is due to start next spring, officials said.";
        var rows = new[]
        {
            new { id = "one", title = "Bridge closed", text = lead + rest, reference_summary = lead },
            new { id = "two", title = "", text = lead + rest, reference_summary = "Something else entirely was written here." },
        };
        await File.WriteAllLinesAsync(Path.Combine(elsewhere.Root, "summaries.jsonl"), [
            JsonSerializer.Serialize(rows[0]),
            JsonSerializer.Serialize(rows[1]).Replace("}", ", \"reference_summaries\": [\"" + lead + "\"]}", StringComparison.Ordinal),
        ]);

        var run = await RunInAsync(elsewhere.Root, null, "eval", "--dataset", elsewhere.Root, "--json");

        Assert.Equal(0, run.ExitCode);
        var shortSummaries = JsonDocument.Parse(run.Out.First(l => l.Contains("\"length\":\"short\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal(2, shortSummaries.GetProperty("articles").GetInt32());
        Assert.Equal(1.5, shortSummaries.GetProperty("references").GetDouble(), 6);
        // Both articles' lead is a reference: the second's only through reference_summaries.
        Assert.Equal(1, shortSummaries.GetProperty("leadRouge1").GetDouble(), 6);
        Assert.Equal(1, shortSummaries.GetProperty("leadRougeL").GetDouble(), 6);
        Assert.Equal(1, shortSummaries.GetProperty("verbatim").GetDouble(), 6);
        Assert.InRange(shortSummaries.GetProperty("rouge1").GetDouble(), 0.5, 1);
    }

    [Theory]
    [InlineData("summaries.jsonl", "{\"id\": \"a\", \"text\": \"Some text.\", \"reference_summary\": \"x\"}\n{\"bad json\n", null, ":2: not a JSON object (")]
    [InlineData("summaries.jsonl", "{\"id\": \"../escaped\", \"text\": \"Some text.\", \"reference_summary\": \"x\"}\n", null, ": the id \"../escaped\" is not a plain file name.")]
    [InlineData("summaries.jsonl", "{\"id\": \"a\", \"text\": \"One.\", \"reference_summary\": \"x\"}\n{\"id\": \"A\", \"text\": \"Two.\", \"reference_summary\": \"y\"}\n", null, ": the id \"A\" appears more than once.")]
    [InlineData("contexts.jsonl", "{\"context_id\": \"../escaped\", \"title\": \"T\", \"text\": \"Some text.\"}\n", "{\"id\": \"q\", \"context_id\": \"../escaped\", \"question\": \"What?\", \"answers\": [\"x\"], \"answer_start\": [0], \"is_impossible\": false}\n", ": the id \"../escaped\" is not a plain file name.")]
    [InlineData("summaries.jsonl", "\n", null, " holds no articles.")]
    [InlineData("questions.jsonl", "\n", null, " holds no questions.")]
    public async Task A_broken_eval_set_is_one_line_naming_the_file_and_the_problem(string file, string rows, string? questions, string problem)
    {
        using var elsewhere = new Workspace(withSeed: false);
        var dataset = Directory.CreateDirectory(Path.Combine(elsewhere.Root, "set")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, file), rows);
        if (questions is not null)
            await File.WriteAllTextAsync(Path.Combine(dataset, "questions.jsonl"), questions);

        var run = await RunInAsync(elsewhere.Root, null, "eval", "--dataset", dataset);

        Assert.Equal(2, run.ExitCode);
        var prefix = problem.StartsWith(" holds", StringComparison.Ordinal) ? "--dataset: " : string.Empty;
        Assert.StartsWith($"configuration error: {prefix}{Path.Combine(dataset, file)}{problem}", Assert.Single(run.Err), StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Eval_on_a_file_instead_of_a_folder_exits_2_saying_so()
    {
        var run = await RunAsync("eval", "--dataset", Workspace.SeedSourcePath);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"configuration error: --dataset: {Workspace.SeedSourcePath} is a file; give the eval set's folder (it holds questions.jsonl or summaries.jsonl).", Assert.Single(run.Err));
    }

    [Fact]
    public async Task Eval_on_a_missing_dataset_exits_2()
    {
        var run = await RunAsync("eval", "--dataset", "/nonexistent/eval-set");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/eval-set", Assert.Single(run.Err), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_question_from_standard_input_keeps_the_documented_json_shape()
    {
        Assert.Equal(0, (await RunAsync("ingest")).ExitCode);
        using var process = NewsBotProcess.Start(fixture.Workspace.Root, Paths(), "ask", "--json");
        await process.Input.WriteLineAsync(new string('w', 600));
        await process.Input.WriteLineAsync("?!");
        await process.Input.WriteLineAsync("Why did the PMO decline the meeting?");
        process.Input.Close();

        // Each bad line is reported and the others answered; the run as a whole failed (1), its arguments were fine.
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Equal(3, process.Out.Length);
        Assert.Equal(2, process.Err.Length);
        using var wordless = JsonDocument.Parse(process.Out[1]);
        Assert.Equal(QuestionGuard.UsageHint, wordless.RootElement.GetProperty("error").GetString());
        using var rejected = JsonDocument.Parse(process.Out[0]);
        var root = rejected.RootElement;
        Assert.False(root.GetProperty("answered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("answer").ValueKind);
        Assert.Empty(root.GetProperty("citations").EnumerateArray());
        Assert.True(root.GetProperty("elapsedMs").GetDouble() >= 0);
        Assert.Contains("500", root.GetProperty("error").GetString(), StringComparison.Ordinal);
        using var answered = JsonDocument.Parse(process.Out[2]);
        Assert.True(answered.RootElement.GetProperty("answered").GetBoolean());
    }

    [Fact]
    public async Task A_skipped_file_is_reported_once_by_ingest_and_not_again_by_ask()
    {
        using var local = new Workspace();
        local.Write("huge.txt", "Huge story\n\n" + string.Concat(Enumerable.Repeat("A sentence of filler text. ", 400)));
        var env = new Dictionary<string, string>
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = local.Seeds,
            ["NEWSBOT__Storage__IndexPath"] = local.IndexPath,
            ["NEWSBOT__Ingestion__MaxFileBytes"] = "10000",
        };

        var ingest = await RunInAsync(local.Root, env, "ingest");
        var ask = await RunInAsync(local.Root, env, "ask", "Why did the PMO decline the meeting?");

        Assert.Equal(0, ingest.ExitCode);
        Assert.Single(ingest.Out.Concat(ingest.Err), l => l.Contains("huge.txt", StringComparison.Ordinal) && !l.StartsWith("reading ", StringComparison.Ordinal));
        Assert.Equal(0, ask.ExitCode);
        Assert.DoesNotContain(ask.Err, l => l.Contains("huge.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ask_names_the_skipped_files_when_none_could_be_read()
    {
        using var local = new Workspace(withSeed: false);
        local.Write("headline.txt", "Just a headline here\n");
        local.Write("empty.txt", "");
        var env = new Dictionary<string, string>
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = local.Seeds,
            ["NEWSBOT__Storage__IndexPath"] = local.IndexPath,
        };

        var ask = await RunInAsync(local.Root, env, "ask", "Why did the PMO decline the meeting?");

        Assert.Equal(0, ask.ExitCode);
        Assert.Contains(ask.Err, l => l.StartsWith("skipped ", StringComparison.Ordinal) && l.Contains("headline.txt: no article text", StringComparison.Ordinal));
        Assert.Contains(ask.Err, l => l.StartsWith("skipped ", StringComparison.Ordinal) && l.Contains("empty.txt: file is empty", StringComparison.Ordinal));
        Assert.Contains(ask.Out, l => l.Contains("No articles are loaded", StringComparison.Ordinal));
    }
}
