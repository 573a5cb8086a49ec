using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Host.Evaluation;

/// <summary>
/// Summary sets (<c>summaries.jsonl</c>: id, title, text, reference_summary, optionally reference_summaries): every
/// article is ingested into one temporary index and summarised at each length; ROUGE-1/2/L F1 against the reference, or
/// against the closest of several references. The lead baseline (the article's first sentences, as many as the summary
/// has) is scored the same way, because on news it is the number a summariser has to beat.
/// </summary>
public static partial class SummaryEval
{
    public static bool Handles(string folder) =>
        File.Exists(Path.Combine(folder, "summaries.jsonl")) && !File.Exists(Path.Combine(folder, "questions.jsonl"));

    public static async Task<int> RunAsync(HostSettings settings, string folder, bool json, IDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "summaries.jsonl");
        var rows = EvalSet.ReadLines<Row>(file).ToList();
        if (rows.Count == 0)
            throw new ConfigurationException($"--dataset: {file} holds no articles.");
        var temp = Directory.CreateTempSubdirectory("newsbot-eval-").FullName;
        try
        {
            var seeds = Directory.CreateDirectory(Path.Combine(temp, "seeds")).FullName;
            await EvalSeeds.WriteAsync(seeds, file, rows.Select(r => new EvalContext(r.Id, r.Title, r.Text)), cancellationToken);
            overrides["Ingestion:SeedsPath"] = seeds;
            overrides["Storage:IndexPath"] = Path.Combine(temp, "index.db");

            using var host = await NewsBotHost.BuildReadyAsync(settings with { Overrides = new Dictionary<string, string?>(overrides) }, null, cancellationToken);
            var engine = host.Services.GetRequiredService<INewsBotEngine>();
            var catalog = host.Services.GetRequiredService<CurrentIndex>().Snapshot;
            var results = new List<object>();
            foreach (var length in Enum.GetValues<SummaryLength>())
            {
                var scores = new List<(RougeScores Summary, RougeScores Lead, bool Verbatim, double Ms, int Sentences)>();
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

                    var elapsed = watch.Elapsed.TotalMilliseconds;
                    var produced = string.Join(' ', summary.Citations.Select(c => c.Quote));
                    var lead = string.Join(' ', LeadSentences(catalog.Find(row.Id), summary.Citations.Count));
                    var verbatim = summary.Citations.All(c => EvalScorer.Fold(row.Text, false).Contains(EvalScorer.Fold(c.Quote, false), StringComparison.Ordinal));
                    scores.Add((Score(produced, row.AllReferences), Score(lead, row.AllReferences), verbatim, elapsed, summary.Citations.Count));
                }

                var result = new
                {
                    dataset = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)),
                    length = length.ToString().ToLowerInvariant(),
                    articles = scores.Count,
                    skipped = rows.Count - scores.Count,
                    references = Mean(rows.Select(r => (double)r.AllReferences.Count)),
                    rouge1 = Mean(scores.Select(s => s.Summary.Rouge1)),
                    rouge2 = Mean(scores.Select(s => s.Summary.Rouge2)),
                    rougeL = Mean(scores.Select(s => s.Summary.RougeL)),
                    leadRouge1 = Mean(scores.Select(s => s.Lead.Rouge1)),
                    leadRouge2 = Mean(scores.Select(s => s.Lead.Rouge2)),
                    leadRougeL = Mean(scores.Select(s => s.Lead.RougeL)),
                    verbatim = Mean(scores.Select(s => s.Verbatim ? 1.0 : 0)),
                    sentences = Mean(scores.Select(s => (double)s.Sentences)),
                    latencyP50Ms = EvalMetrics.Percentile([.. scores.Select(s => s.Ms).Order()], 0.5),
                };
                results.Add(result);
                Console.WriteLine(json ? JsonSerializer.Serialize(result) : string.Create(CultureInfo.InvariantCulture,
                    $"dataset {result.dataset} [{result.length}]: {result.articles} articles ({result.skipped} skipped), ROUGE-1 {result.rouge1:F3}  ROUGE-2 {result.rouge2:F3}  ROUGE-L {result.rougeL:F3}  (lead {result.leadRouge1:F3} {result.leadRouge2:F3} {result.leadRougeL:F3}){ReferencesNote(result.references)}  verbatim {result.verbatim:P0}  {result.sentences:F1} sentences  p50 {result.latencyP50Ms:F1} ms"));
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

    private static string ReferencesNote(double references) =>
        references > 1 ? string.Create(CultureInfo.InvariantCulture, $"  best of {references:F1} references") : string.Empty;

    /// <summary>The article's first <paramref name="count"/> sentences of its body (and subtitle), the lead baseline.</summary>
    internal static IEnumerable<string> LeadSentences(Article? article, int count)
    {
        if (article is null)
            return [];
        var prose = article.Paragraphs
            .Where(p => p.Kind is ParagraphKind.Body or ParagraphKind.Dek)
            .Select(p => p.Number)
            .ToHashSet();
        return article.Sentences.Where(s => prose.Contains(s.Paragraph)).Take(count).Select(s => s.Text);
    }

    internal readonly record struct RougeScores(double Rouge1, double Rouge2, double RougeL);

    /// <summary>ROUGE-1/2/L F1 against the closest reference, each measure on its own (as rouge-score's <c>score_multi</c>).</summary>
    internal static RougeScores Score(string candidate, IReadOnlyList<string> references) =>
        references.Count == 0
            ? default
            : new(references.Max(r => Rouge(candidate, r, 1)), references.Max(r => Rouge(candidate, r, 2)), references.Max(r => RougeL(candidate, r)));

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
        [JsonPropertyName("reference_summaries")] public List<string>? References { get; set; }

        /// <summary>Every distinct reference; a set with one reference per article has only <see cref="Reference"/>.</summary>
        public IReadOnlyList<string> AllReferences =>
            field ??= [.. (References ?? []).Append(Reference).Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.Ordinal)];
    }
}
