using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Sources;

namespace NewsBot.Host.Benchmarks;

/// <summary>
/// <c>bench</c>: first ingest of the seeds, embedding throughput on a larger copy of them, warm <c>ask</c>
/// latency percentiles, a cold <c>ask</c> process on an existing index, and memory. Prints numbers; asserts nothing.
/// </summary>
public static class BenchCommand
{
    private const int WarmUp = 10;
    private const int Asks = 200;
    private const int ThroughputSentences = 600;

    public static async Task<int> RunAsync(HostSettings settings, bool json, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("newsbot-bench-").FullName;
        try
        {
            var seedsPath = SeedsPath(settings);
            var results = new Dictionary<string, double>();
            IReadOnlyList<StageTime> stages = [];

            // 1. First ingest of the seeds into an empty index, model load included.
            var firstIndex = Path.Combine(temp, "first.db");
            var watch = Stopwatch.StartNew();
            using (var host = NewsBotHost.Build(settings with { Overrides = Overrides(seedsPath, firstIndex) }))
            {
                var report = await host.Services.GetRequiredService<Ingestor>().ReloadAsync(null, cancellationToken);
                results["firstIngestSeconds"] = watch.Elapsed.TotalSeconds;
                results["seedSentences"] = report.Sentences;
            }

            // 2. Embedding throughput: the seeds copied under new ids until there is enough text to time.
            var copies = Path.Combine(temp, "copies");
            var sentencesPerPass = Math.Max(1, (int)results["seedSentences"]);
            CopySeeds(seedsPath, copies, Math.Max(1, ThroughputSentences / sentencesPerPass));
            using (var host = NewsBotHost.Build(settings with { Overrides = Overrides(copies, Path.Combine(temp, "copies.db")) }))
            {
                var ingestor = host.Services.GetRequiredService<Ingestor>();
                var embeddings = host.Services.GetRequiredService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>();
                await embeddings.GenerateAsync(["warm the model up"], cancellationToken: cancellationToken);
                watch.Restart();
                var report = await ingestor.ReloadAsync(null, cancellationToken);
                results["throughputSentences"] = report.Sentences;
                results["throughputChunks"] = report.Chunks;
                results["sentencesPerSecond"] = report.Sentences / watch.Elapsed.TotalSeconds;
                results["textsEmbeddedPerSecond"] = (report.Sentences + report.Chunks) / watch.Elapsed.TotalSeconds;
            }

            // 3. Warm ask latency on the seed index, with questions made from the articles' own sentences.
            using (var host = NewsBotHost.Build(settings with { Overrides = Overrides(seedsPath, firstIndex) }))
            {
                await host.Services.GetRequiredService<Ingestor>().ReloadAsync(null, cancellationToken);
                var engine = host.Services.GetRequiredService<INewsBotEngine>();
                results["reader"] = host.Services.GetService<IAnswerReader>() is null ? 0 : 1;
                var questions = QuestionsFrom(host.Services.GetRequiredService<IArticleCatalog>());
                if (questions.Count == 0)
                    throw new InvalidOperationException("bench needs at least one article in the seeds folder.");
                for (var i = 0; i < WarmUp; i++)
                    await engine.AskAsync(new Question(questions[i % questions.Count]), cancellationToken);
                var latencies = new List<double>(Asks);
                using var stageTimes = new StageTimes();
                using var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                for (var i = 0; i < Asks; i++)
                {
                    watch.Restart();
                    await engine.AskAsync(new Question(questions[i % questions.Count]), cancellationToken);
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                }

                process.Refresh();
                results["loadAverage"] = LoadAverage();
                results["askCpuMs"] = (process.TotalProcessorTime - cpu).TotalMilliseconds / Asks;
                latencies.Sort();
                results["askP50Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.50);
                results["askP95Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.95);
                results["askP99Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.99);
                stages = stageTimes.Summary(Asks);
                foreach (var stage in stages)
                    results[$"stage:{stage.Name}:msPerAsk"] = stage.MeanPerAskMs;
            }

            // 4. A cold ask process on the existing index.
            results["coldAskProcessSeconds"] = await ColdAskAsync(seedsPath, firstIndex, cancellationToken);

            using var self = Process.GetCurrentProcess();
            results["peakWorkingSetMiB"] = self.PeakWorkingSet64 / 1048576.0;
            results["managedHeapMiB"] = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;

            Console.WriteLine(json ? JsonSerializer.Serialize(results) : Text(results) + "\n" + StageTimes.Text(stages));
            return CommandLine.Ok;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static string SeedsPath(HostSettings settings)
    {
        using var host = NewsBotHost.Build(settings);
        return Path.GetFullPath(host.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.SeedsPath);
    }

    private static Dictionary<string, string?> Overrides(string seeds, string index) => new()
    {
        ["Ingestion:SeedsPath"] = seeds,
        ["Storage:IndexPath"] = index,
        ["Llm:Provider"] = "none",
    };

    private static void CopySeeds(string from, string to, int times)
    {
        Directory.CreateDirectory(to);
        var files = Directory.EnumerateFiles(from).Where(ArticleReader.CanRead).ToList();
        for (var copy = 0; copy < times; copy++)
        {
            foreach (var file in files)
                File.Copy(file, Path.Combine(to, $"{Path.GetFileNameWithoutExtension(file)}-{copy}{Path.GetExtension(file)}"));
        }
    }

    /// <summary>Questions built from each sentence's opening words: realistic wording, nothing typed in by hand.</summary>
    private static List<string> QuestionsFrom(IArticleCatalog catalog) =>
    [
        .. catalog.Articles.SelectMany(a => a.Sentences)
            .Select(s => s.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= 6)
            .Select(words => "What about " + string.Join(' ', words.Take(8)).TrimEnd('.', ',', ';', ':') + "?"),
    ];

    private static async Task<double> ColdAskAsync(string seeds, string index, CancellationToken cancellationToken)
    {
        var entry = Environment.GetCommandLineArgs()[0];
        var start = new ProcessStartInfo
        {
            FileName = entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : entry,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(entry);
        // A question retrieval and the reader must answer (not a byline or "what is it about" question), so the cold
        // process loads both models.
        foreach (var arg in new[] { "ask", "Why did the office decline the meeting?" })
            start.ArgumentList.Add(arg);
        start.Environment[NewsBotHost.EnvironmentPrefix + "Ingestion__SeedsPath"] = seeds;
        start.Environment[NewsBotHost.EnvironmentPrefix + "Storage__IndexPath"] = index;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a child newsbot process");
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The one-minute load average while the warm asks ran (Linux; -1 elsewhere): timings mean little without it.</summary>
    /// <summary>The machine's one-minute load average: how much of the cores the figures had to share.</summary>
    internal static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture, out var load) ? load : -1;

    private static string Text(Dictionary<string, double> r) => string.Create(CultureInfo.InvariantCulture, $"""
        first ingest of the seeds      {r["firstIngestSeconds"]:F2} s ({r["seedSentences"]} sentences, model load included)
        embedding throughput           {r["sentencesPerSecond"]:F0} sentences/s ({r["textsEmbeddedPerSecond"]:F0} texts/s incl. chunks; {r["throughputSentences"]} sentences, {r["throughputChunks"]} chunks)
        warm ask latency p50/p95/p99   {r["askP50Ms"]:F1} / {r["askP95Ms"]:F1} / {r["askP99Ms"]:F1} ms ({Asks} asks, reader {(r["reader"] > 0 ? "on" : "off")}; {r["askCpuMs"]:F1} ms CPU per ask; load average {r["loadAverage"]:F2})
        cold ask process               {r["coldAskProcessSeconds"]:F2} s (existing index)
        peak working set               {r["peakWorkingSetMiB"]:F0} MiB (managed heap {r["managedHeapMiB"]:F0} MiB)
        """);
}
