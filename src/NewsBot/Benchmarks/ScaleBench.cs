using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Embeddings.Local;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;

namespace NewsBot.Host.Benchmarks;

/// <summary>
/// <c>bench --scale N</c>: a synthetic archive of N sentences (<see cref="SyntheticArchive"/>) is ingested into a
/// SQLite store (terms analysed, vectors given), then loaded once, which builds and saves the approximate index when N
/// passes <c>Retrieval:AnnThreshold</c>. A second process then starts on that store as after a restart: it loads
/// the index and answers warm questions through the whole engine (question guard, embedding of the question by the
/// configured model, retrieval, the configured answerer and reader, citation check), so its figures (load time,
/// latency, peak working set) are those of a serving process alone. Prints numbers; asserts nothing.
/// </summary>
public static class ScaleBench
{
    private const int WarmUp = 20;
    private const int Asks = 200;
    private const int SentencesPerWrite = 20_000;
    private const string QuestionsFile = "questions.json";
    private const string PreparedFile = "prepared.json";

    /// <param name="keep">A folder to prepare the archive in and keep, or to reuse when it already holds this size.</param>
    /// <param name="restartFolder">Set in the second process only: the prepared store to load and ask.</param>
    public static async Task<int> RunAsync(
        HostSettings settings, int sentences, bool json, string? keep, string? restartFolder, CancellationToken cancellationToken)
    {
        if (sentences < 100)
            throw new ConfigurationException("bench --scale needs at least 100 sentences.");
        if (restartFolder is not null)
        {
            var restart = await RestartAsync(settings, restartFolder, cancellationToken);
            Console.WriteLine(JsonSerializer.Serialize(restart));
            return CommandLine.Ok;
        }

        var folder = keep is null ? Directory.CreateTempSubdirectory("newsbot-scale-").FullName : Directory.CreateDirectory(keep).FullName;
        try
        {
            var results = new Dictionary<string, object> { ["sentences"] = sentences, ["loadAverageAtStart"] = BenchCommand.LoadAverage() };
            foreach (var (key, value) in await PreparedAsync(settings, sentences, folder, cancellationToken))
                results[key] = value;
            using (var restart = await RunRestartProcessAsync(settings, sentences, folder, cancellationToken))
            {
                foreach (var property in restart.RootElement.EnumerateObject())
                    results[property.Name] = Value(property.Value);
            }

            results["loadAverageAtEnd"] = BenchCommand.LoadAverage();
            Console.WriteLine(json ? JsonSerializer.Serialize(results) : Text(results));
            return CommandLine.Ok;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                if (keep is null)
                    Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>The archive prepared in the folder: what an earlier run with --keep recorded, else prepared now.</summary>
    private static async Task<Dictionary<string, object>> PreparedAsync(HostSettings settings, int sentences, string folder, CancellationToken cancellationToken)
    {
        var record = Path.Combine(folder, PreparedFile);
        if (File.Exists(record))
        {
            using var prepared = JsonDocument.Parse(await File.ReadAllTextAsync(record, cancellationToken));
            if (prepared.RootElement.GetProperty("sentences").GetInt32() != sentences)
                throw new ConfigurationException($"bench --keep: {folder} holds an archive of another size; give an empty folder.");
            return prepared.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value));
        }

        if (Directory.EnumerateFileSystemEntries(folder).Any())
            throw new ConfigurationException($"bench --keep: {folder} is neither empty nor an archive bench prepared; give an empty folder.");
        var results = await PrepareAsync(settings, sentences, folder, cancellationToken);
        results["sentences"] = sentences;
        await File.WriteAllTextAsync(record, JsonSerializer.Serialize(results), cancellationToken);
        return results;
    }

    private static object Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        _ => value.ToString(),
    };

    /// <summary>Ingests the archive into the store in <paramref name="folder"/>, then loads it once (the leader's build).</summary>
    private static async Task<Dictionary<string, object>> PrepareAsync(HostSettings settings, int sentences, string folder, CancellationToken cancellationToken)
    {
        using var host = BuildHost(settings, folder, questions: []);
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        var services = host.Services;
        SyntheticArchive archive;
        using (var vocabulary = new StreamReader(services.GetRequiredService<LocalEmbeddingGenerator>().Model.Vocabulary()))
            archive = new SyntheticArchive(ReadLines(vocabulary), sentences);
        var results = new Dictionary<string, object>
        {
            ["annThreshold"] = services.GetRequiredService<IOptions<RetrievalOptions>>().Value.AnnThreshold,
        };

        // 1. Ingest: what the leader's ingest does past embedding (analysis, storing), in batches as it publishes.
        var store = services.GetRequiredService<IIndexStore>();
        var questions = new List<SyntheticQuestion>();
        var watch = Stopwatch.StartNew();
        var (batch, inBatch, position, ordinal, heldBack) = (new List<IndexedArticle>(), 0, 0, 0, new List<IndexedArticle>());
        foreach (var article in archive.Articles(cancellationToken))
        {
            questions.AddRange(archive.QuestionsIn(article, position, Asks));
            position += article.Article.Sentences.Count;
            // One article in a hundred, spread through the id order, arrives only after the first load (step 3).
            if (ordinal++ % 100 == 50)
            {
                heldBack.Add(article);
                continue;
            }

            batch.Add(article);
            inBatch += article.Article.Sentences.Count;
            if (inBatch < SentencesPerWrite)
                continue;
            await WriteAsync(store, archive, batch, cancellationToken);
            (batch, inBatch) = ([], 0);
        }

        await WriteAsync(store, archive, batch, cancellationToken);
        results["storeSeconds"] = watch.Elapsed.TotalSeconds;
        await File.WriteAllTextAsync(Path.Combine(folder, QuestionsFile), JsonSerializer.Serialize(questions), cancellationToken);

        // 2. The first load: builds the approximate index past the threshold and saves it beside the store.
        using var self = Process.GetCurrentProcess();
        var cpu = CpuTime(self);
        watch.Restart();
        await services.GetRequiredService<Ingestor>().LoadStoredAsync(cancellationToken);
        results["buildSeconds"] = watch.Elapsed.TotalSeconds;
        results["buildCpuSeconds"] = (CpuTime(self) - cpu).TotalSeconds;
        results["buildPeakWorkingSetMb"] = PeakWorkingSetMb(self);

        // 3. New articles arrive: the leader's reload, which brings the approximate index up to date rather than building it.
        await WriteAsync(store, archive, heldBack, cancellationToken);
        var reloadPeakMeasured = ResetPeakWorkingSet();
        cpu = CpuTime(self);
        watch.Restart();
        await services.GetRequiredService<Ingestor>().LoadStoredAsync(cancellationToken);
        results["reloadSeconds"] = watch.Elapsed.TotalSeconds;
        results["reloadCpuSeconds"] = (CpuTime(self) - cpu).TotalSeconds;
        results["reloadAddedSentences"] = heldBack.Sum(a => a.Article.Sentences.Count);
        results["reloadAddedArticles"] = heldBack.Count;
        if (reloadPeakMeasured)
            results["reloadPeakWorkingSetMb"] = PeakWorkingSetMb(self);
        return results;
    }

    private static async Task WriteAsync(IIndexStore store, SyntheticArchive archive, List<IndexedArticle> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;
        var analysed = new IndexedArticle[batch.Count];
        Parallel.For(0, batch.Count, i => analysed[i] = batch[i] with { Terms = ArticleTerms.Of(batch[i].Article) });
        await store.ApplyAsync(new IndexChangeSet(SyntheticArchive.ModelId, archive.Dimensions, analysed, [], ReplaceAll: false), cancellationToken);
    }

    /// <summary>The second process: loads the prepared store as after a restart and times warm answers.</summary>
    private static async Task<Dictionary<string, object>> RestartAsync(HostSettings settings, string folder, CancellationToken cancellationToken)
    {
        var questions = JsonSerializer.Deserialize<List<SyntheticQuestion>>(await File.ReadAllTextAsync(Path.Combine(folder, QuestionsFile), cancellationToken))
            ?? throw new InvalidDataException("bench --scale: the questions of the prepared archive are missing.");
        using var host = BuildHost(settings, folder, questions);
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        var services = host.Services;
        var engine = services.GetRequiredService<INewsBotEngine>();
        var current = services.GetRequiredService<CurrentIndex>();

        using var self = Process.GetCurrentProcess();
        var cpu = CpuTime(self);
        var watch = Stopwatch.StartNew();
        await services.GetRequiredService<Ingestor>().LoadStoredAsync(cancellationToken);
        var results = new Dictionary<string, object>
        {
            ["loadSeconds"] = watch.Elapsed.TotalSeconds,
            ["loadCpuSeconds"] = (CpuTime(self) - cpu).TotalSeconds,
            ["loadedWorkingSetMb"] = WorkingSetMb(self),
            ["articles"] = current.Snapshot.Articles.Count,
            ["approximate"] = current.Snapshot.Approximate is not null,
        };

        for (var i = 0; i < WarmUp; i++)
            await engine.AskAsync(new Question(questions[i % questions.Count].Text), cancellationToken);
        var latencies = new List<double>(Asks);
        var (answered, fromOwnSentence) = (0, 0);
        cpu = CpuTime(self);
        IReadOnlyList<StageTime> stages;
        using (var stageTimes = new StageTimes())
        {
            for (var i = 0; i < Asks; i++)
            {
                var question = questions[i % questions.Count];
                watch.Restart();
                var answer = await engine.AskAsync(new Question(question.Text), cancellationToken);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                answered += answer.Answered ? 1 : 0;
                fromOwnSentence += answer.Citations is [var first, ..] && first.SourceId == question.SourceId && first.Start == question.Start ? 1 : 0;
            }

            stages = stageTimes.Summary(Asks);
        }

        results["askCpuMs"] = (CpuTime(self) - cpu).TotalMilliseconds / Asks;
        latencies.Sort();
        results["askP50Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.50);
        results["askP95Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.95);
        results["askP99Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.99);
        foreach (var stage in stages)
        {
            results[$"stage:{stage.Name}:msPerAsk"] = stage.MeanPerAskMs;
            results[$"stage:{stage.Name}:p50Ms"] = stage.P50Ms;
            results[$"stage:{stage.Name}:p99Ms"] = stage.P99Ms;
        }

        results["answeredShare"] = (double)answered / Asks;
        results["firstCitationIsSourceShare"] = (double)fromOwnSentence / Asks;
        results["peakWorkingSetMb"] = PeakWorkingSetMb(self);
        results["managedHeapMb"] = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        return results;
    }

    /// <summary>Starts this program again on the prepared store and reads the figures it prints.</summary>
    private static async Task<JsonDocument> RunRestartProcessAsync(HostSettings settings, int sentences, string folder, CancellationToken cancellationToken)
    {
        // Started as "dotnet newsbot.dll" or as the newsbot program itself: start the second process the same way.
        var program = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo
        {
            FileName = program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (var arg in new[] { "bench", "--scale", sentences.ToString(CultureInfo.InvariantCulture), CommandLine.ScaleRestartOption, folder })
            start.ArgumentList.Add(arg);
        if (settings.ConfigFile is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(Path.GetFullPath(settings.ConfigFile));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a second newsbot process");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"bench --scale: the restarted process failed: {(await error).Trim().Split('\n')[^1]}");
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]);
    }

    private static IHost BuildHost(HostSettings settings, string folder, IReadOnlyList<SyntheticQuestion> questions)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:IndexPath"] = Path.Combine(folder, "newsbot.db"),
            ["Retrieval:Ann:Directory"] = folder,
            ["Llm:Provider"] = "none",
        };
        var vectors = questions.ToDictionary(q => q.Text, q => q.Vector, StringComparer.Ordinal);
        return NewsBotHost.Build(
            settings with { Overrides = overrides },
            builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
                new SyntheticQuestionEmbedding(sp.GetRequiredService<LocalEmbeddingGenerator>(), vectors)));
    }

    /// <summary>CPU time of the whole process: beside wall time, it shows the work done when other jobs share the cores.</summary>
    private static TimeSpan CpuTime(Process self)
    {
        self.Refresh();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// Starts the process's peak working set afresh (Linux: <c>/proc/self/clear_refs</c>), so the next reading is the peak
    /// of what follows alone; false where that cannot be done.
    /// </summary>
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static double WorkingSetMb(Process self)
    {
        self.Refresh();
        return self.WorkingSet64 / 1048576.0;
    }

    /// <summary>The most resident memory the process has had (VmHWM on Linux).</summary>
    private static double PeakWorkingSetMb(Process self)
    {
        self.Refresh();
        return self.PeakWorkingSet64 / 1048576.0;
    }

    private static IEnumerable<string> ReadLines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    private static string Text(Dictionary<string, object> r) => string.Create(CultureInfo.InvariantCulture, $"""
        synthetic archive              {r["sentences"]} sentences in {r["articles"]} articles ({(r["approximate"] is true ? "approximate" : "exact")} retrieval; Retrieval:AnnThreshold {r["annThreshold"]})
        ingest into the store          {r["storeSeconds"]:F1} s (generation, term analysis, SQLite writes; no embedding)
        first load                     {r["buildSeconds"]:F1} s, {r["buildCpuSeconds"]:F1} s of CPU, peak {r["buildPeakWorkingSetMb"]:F0} MiB (builds and saves the approximate index, if any)
        reload after new articles      {Number(r, "reloadSeconds", "F1")} s, {Number(r, "reloadCpuSeconds", "F1")} s of CPU ({Number(r, "reloadAddedArticles", "F0")} articles, {Number(r, "reloadAddedSentences", "F0")} sentences, spread through the archive, stored after the first load), peak {Number(r, "reloadPeakWorkingSetMb", "F0")} MiB
        load after a restart           {r["loadSeconds"]:F2} s, {r["loadCpuSeconds"]:F2} s of CPU, {r["loadedWorkingSetMb"]:F0} MiB after it (a second process)
        warm answer p50/p95/p99        {r["askP50Ms"]:F1} / {r["askP95Ms"]:F1} / {r["askP99Ms"]:F1} ms, {r["askCpuMs"]:F1} ms of CPU per answer ({Asks} answers, {r["answeredShare"]:P0} answered, {r["firstCitationIsSourceShare"]:P0} quoting the sentence the question came from first)
        stages p50 (p99)               embedding {Stage(r, "newsbot.embed")}, ranking {Stage(r, "newsbot.rank")}, reader {Stage(r, "newsbot.read")} ms
        peak working set               {r["peakWorkingSetMb"]:F0} MiB (managed heap {r["managedHeapMb"]:F0} MiB at the end)
        load average                   {r["loadAverageAtStart"]:F2} at start, {r["loadAverageAtEnd"]:F2} at end (1 minute)
        """);

    /// <summary>A figure, or "-" for one an archive kept by an older version did not record.</summary>
    private static string Number(Dictionary<string, object> r, string name, string format) =>
        r.TryGetValue(name, out var value) ? Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Stage(Dictionary<string, object> r, string name) =>
        r.TryGetValue($"stage:{name}:p50Ms", out var p50) && r.TryGetValue($"stage:{name}:p99Ms", out var p99)
            ? string.Create(CultureInfo.InvariantCulture, $"{p50:F1} ({p99:F1})")
            : "-";

    /// <summary>
    /// Runs the configured model on every question, so the measured answer path pays what a real question's embedding
    /// costs, and answers with the question's vector in the archive's synthetic space.
    /// </summary>
    private sealed class SyntheticQuestionEmbedding(
        IEmbeddingGenerator<string, Embedding<float>> model, Dictionary<string, float[]> vectors)
        : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly EmbeddingGeneratorMetadata _metadata = new("NewsBot.Benchmarks", null, SyntheticArchive.ModelId, null);

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            await model.GenerateAsync(texts, options, cancellationToken);
            return [.. texts.Select(t => new Embedding<float>(vectors.TryGetValue(t, out var vector)
                ? vector
                : throw new InvalidOperationException($"bench --scale has no synthetic vector for \"{t}\".")) { ModelId = SyntheticArchive.ModelId })];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : model.GetService(serviceType, serviceKey);

        public void Dispose()
        {
            // The model belongs to the container.
        }
    }
}
