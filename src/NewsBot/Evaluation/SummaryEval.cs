using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Summaries;

namespace NewsBot.Host.Evaluation;

/// <summary>
/// Summary sets (<c>summaries.jsonl</c>: id, title, text, reference_summary): every article is ingested
/// into one temporary index and summarised at each length; ROUGE-1/2/L F1 against the reference.
/// </summary>
public static partial class SummaryEval
{
    public static bool Handles(string folder) =>
        File.Exists(Path.Combine(folder, "summaries.jsonl")) && !File.Exists(Path.Combine(folder, "questions.jsonl"));

    public static async Task<int> RunAsync(HostSettings settings, string folder, bool json, IDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var rows = File.ReadLines(Path.Combine(folder, "summaries.jsonl"))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<Row>(l) ?? throw new InvalidDataException("summaries.jsonl: empty row"))
            .ToList();
        var temp = Directory.CreateTempSubdirectory("newsbot-eval-").FullName;
        try
        {
            var seeds = Directory.CreateDirectory(Path.Combine(temp, "seeds")).FullName;
            foreach (var row in rows)
                await File.WriteAllTextAsync(Path.Combine(seeds, row.Id + ".txt"), $"{(string.IsNullOrWhiteSpace(row.Title) ? row.Id : row.Title)}\n\n{row.Text}\n", cancellationToken);
            overrides["Ingestion:SeedsPath"] = seeds;
            overrides["Storage:IndexPath"] = Path.Combine(temp, "index.db");

            using var host = await NewsBotHost.BuildReadyAsync(settings with { Overrides = new Dictionary<string, string?>(overrides) }, null, cancellationToken);
            var engine = host.Services.GetRequiredService<INewsBotEngine>();
            var results = new List<object>();
            foreach (var length in Enum.GetValues<SummaryLength>())
            {
                var scores = new List<(double R1, double R2, double RL, bool Verbatim, double Ms, int Sentences)>();
                foreach (var row in rows)
                {
                    var watch = Stopwatch.StartNew();
                    Summary summary;
                    try
                    {
                        summary = await engine.SummarizeAsync(new SummaryRequest(row.Id, length), cancellationToken);
                    }
                    catch (NewsBot.Answering.QuestionRejectedException)
                    {
                        continue; // the article was skipped at ingestion (logged there)
                    }

                    var produced = string.Join(' ', summary.Citations.Select(c => c.Quote));
                    var verbatim = summary.Citations.All(c => EvalScorer.Fold(row.Text, false).Contains(EvalScorer.Fold(c.Quote, false), StringComparison.Ordinal));
                    scores.Add((Rouge(produced, row.Reference, 1), Rouge(produced, row.Reference, 2), RougeL(produced, row.Reference), verbatim, watch.Elapsed.TotalMilliseconds, summary.Citations.Count));
                }

                var result = new
                {
                    dataset = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)),
                    length = length.ToString().ToLowerInvariant(),
                    articles = scores.Count,
                    skipped = rows.Count - scores.Count,
                    rouge1 = Mean(scores.Select(s => s.R1)),
                    rouge2 = Mean(scores.Select(s => s.R2)),
                    rougeL = Mean(scores.Select(s => s.RL)),
                    verbatim = Mean(scores.Select(s => s.Verbatim ? 1.0 : 0)),
                    sentences = Mean(scores.Select(s => (double)s.Sentences)),
                    latencyP50Ms = EvalMetrics.Percentile([.. scores.Select(s => s.Ms).Order()], 0.5),
                };
                results.Add(result);
                Console.WriteLine(json ? JsonSerializer.Serialize(result) : string.Create(CultureInfo.InvariantCulture,
                    $"dataset {result.dataset} [{result.length}]: {result.articles} articles ({result.skipped} skipped), ROUGE-1 {result.rouge1:F3}  ROUGE-2 {result.rouge2:F3}  ROUGE-L {result.rougeL:F3}  verbatim {result.verbatim:P0}  {result.sentences:F1} sentences  p50 {result.latencyP50Ms:F1} ms"));
            }

            return Cli.CommandLine.Ok;
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

    private static double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(0).Average();

    private static string[] Tokens(string text) => [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    /// <summary>ROUGE-N F1 over lower-cased word tokens.</summary>
    internal static double Rouge(string candidate, string reference, int n)
    {
        var c = NGrams(Tokens(candidate), n);
        var r = NGrams(Tokens(reference), n);
        var overlap = c.Sum(kv => Math.Min(kv.Value, r.GetValueOrDefault(kv.Key)));
        return F1(overlap, c.Values.Sum(), r.Values.Sum());
    }

    /// <summary>ROUGE-L F1: longest common subsequence of tokens.</summary>
    internal static double RougeL(string candidate, string reference)
    {
        var a = Tokens(candidate);
        var b = Tokens(reference);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var token in a)
        {
            for (var j = 1; j <= b.Length; j++)
                current[j] = token == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }

        return F1(previous[b.Length], a.Length, b.Length);
    }

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Length; i++)
        {
            var key = string.Join(' ', tokens, i, n);
            grams[key] = grams.GetValueOrDefault(key) + 1;
        }

        return grams;
    }

    private static double F1(double overlap, double candidate, double reference) =>
        overlap == 0 ? 0 : 2 * (overlap / candidate) * (overlap / reference) / ((overlap / candidate) + (overlap / reference));

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    private sealed class Row
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("title")] public string Title { get; set; } = string.Empty;
        [JsonPropertyName("text")] public string Text { get; set; } = string.Empty;
        [JsonPropertyName("reference_summary")] public string Reference { get; set; } = string.Empty;
    }
}
