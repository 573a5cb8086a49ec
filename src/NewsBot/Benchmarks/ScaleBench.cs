using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Embeddings.Local;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Retrieval;

namespace NewsBot.Host.Benchmarks;

/// <summary>
/// <c>bench --scale N</c>: a synthetic archive of N sentences (<see cref="SyntheticArchive"/>) loaded twice, the
/// first time building the approximate index when N passes <c>Retrieval:AnnThreshold</c> and the second, as after a
/// restart, loading it; then warm answers through the whole engine (question guard, embedding of the question by the
/// configured model, retrieval, the configured answerer, citation check). Prints numbers; asserts nothing.
/// </summary>
public static class ScaleBench
{
    private const int WarmUp = 20;
    private const int Asks = 200;

    public static async Task<int> RunAsync(HostSettings settings, int sentences, bool json, CancellationToken cancellationToken)
    {
        if (sentences < 100)
            throw new ConfigurationException("bench --scale needs at least 100 sentences.");
        var temp = Directory.CreateTempSubdirectory("newsbot-scale-").FullName;
        try
        {
            var overrides = new Dictionary<string, string?>
            {
                ["Storage:IndexPath"] = Path.Combine(temp, "newsbot.db"),
                ["Retrieval:Ann:Directory"] = temp,
                ["Llm:Provider"] = "none",
            };
            SyntheticArchive? archive = null;
            using var host = NewsBotHost.Build(
                settings with { Overrides = overrides },
                builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
                    new SyntheticQuestionEmbedding(sp.GetRequiredService<LocalEmbeddingGenerator>(), archive!)));
            await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
            var services = host.Services;
            using (var vocabulary = new StreamReader(services.GetRequiredService<LocalEmbeddingGenerator>().Model.Vocabulary()))
                archive = new SyntheticArchive(ReadLines(vocabulary), sentences);
            var questions = archive.Questions(Asks);

            var results = new Dictionary<string, object>
            {
                ["sentences"] = sentences,
                ["annThreshold"] = services.GetRequiredService<IOptions<RetrievalOptions>>().Value.AnnThreshold,
            };
            var current = services.GetRequiredService<CurrentIndex>();
            var factory = services.GetRequiredService<IndexSnapshotFactory>();

            using var self = Process.GetCurrentProcess();
            var watch = Stopwatch.StartNew();
            var snapshot = factory.Build(SyntheticArchive.ModelId, archive.Dimensions, archive.Articles(cancellationToken));
            results["firstLoadSeconds"] = watch.Elapsed.TotalSeconds;
            results["articles"] = snapshot.Articles.Count;
            results["approximate"] = snapshot.Approximate is not null;

            // As after a restart: the approximate index, if any, is now on disk and is loaded rather than rebuilt.
            snapshot = null;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var cpu = CpuTime(self);
            watch.Restart();
            current.Publish(factory.Build(SyntheticArchive.ModelId, archive.Dimensions, archive.Articles(cancellationToken)));
            results["loadSeconds"] = watch.Elapsed.TotalSeconds;
            results["loadCpuSeconds"] = (CpuTime(self) - cpu).TotalSeconds;
            results["loadedWorkingSetMb"] = self.WorkingSet64 / 1048576.0;

            var engine = services.GetRequiredService<INewsBotEngine>();
            for (var i = 0; i < WarmUp; i++)
                await engine.AskAsync(new Question(questions[i % questions.Count].Text), cancellationToken);
            var latencies = new List<double>(Asks);
            var answered = 0;
            var fromOwnSentence = 0;
            cpu = CpuTime(self);
            for (var i = 0; i < Asks; i++)
            {
                watch.Restart();
                var question = questions[i % questions.Count];
                var answer = await engine.AskAsync(new Question(question.Text), cancellationToken);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                answered += answer.Answered ? 1 : 0;
                fromOwnSentence += answer.Citations is [var first, ..] && first.SourceId == question.SourceId && first.Start == question.Start ? 1 : 0;
            }

            results["askCpuMs"] = (CpuTime(self) - cpu).TotalMilliseconds / Asks;
            latencies.Sort();
            results["askP50Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.50);
            results["askP95Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.95);
            results["askP99Ms"] = Evaluation.EvalMetrics.Percentile(latencies, 0.99);
            results["answeredShare"] = (double)answered / Asks;
            results["firstCitationIsSourceShare"] = (double)fromOwnSentence / Asks;
            self.Refresh();
            results["peakWorkingSetMb"] = self.PeakWorkingSet64 / 1048576.0;
            results["managedHeapMb"] = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;

            Console.WriteLine(json ? JsonSerializer.Serialize(results) : Text(results));
            return CommandLine.Ok;
        }
        finally
        {
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

    /// <summary>CPU time of the whole process: beside wall time, it shows the work done when other jobs share the cores.</summary>
    private static TimeSpan CpuTime(Process self)
    {
        self.Refresh();
        return self.TotalProcessorTime;
    }

    private static IEnumerable<string> ReadLines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    private static string Text(Dictionary<string, object> r) => string.Create(CultureInfo.InvariantCulture, $"""
        synthetic archive              {r["sentences"]} sentences in {r["articles"]} articles ({((bool)r["approximate"] ? "approximate" : "exact")} retrieval; Retrieval:AnnThreshold {r["annThreshold"]})
        first load                     {r["firstLoadSeconds"]:F2} s (approximate index built, if any)
        load                           {r["loadSeconds"]:F2} s, {r["loadCpuSeconds"]:F2} s of CPU (as after a restart)
        warm ask latency p50/p95/p99   {r["askP50Ms"]:F1} / {r["askP95Ms"]:F1} / {r["askP99Ms"]:F1} ms, {r["askCpuMs"]:F1} ms of CPU per ask ({Asks} asks, {r["answeredShare"]:P0} answered, {r["firstCitationIsSourceShare"]:P0} quoting the sentence the question came from first)
        working set                    {r["loadedWorkingSetMb"]:F0} MiB after load, {r["peakWorkingSetMb"]:F0} MiB peak (managed heap {r["managedHeapMb"]:F0} MiB)
        """);

    /// <summary>
    /// Embeds questions in the archive's synthetic space, after running the configured model on them too, so the
    /// measured answer path pays what a real question's embedding costs.
    /// </summary>
    private sealed class SyntheticQuestionEmbedding(IEmbeddingGenerator<string, Embedding<float>> model, SyntheticArchive archive)
        : IEmbeddingGenerator<string, Embedding<float>>
    {
        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            await model.GenerateAsync(texts, options, cancellationToken);
            return [.. texts.Select(t => new Embedding<float>(archive.Embed(t)) { ModelId = SyntheticArchive.ModelId })];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => model.GetService(serviceType, serviceKey);

        public void Dispose()
        {
            // The model belongs to the container.
        }
    }
}
