using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Sources;

namespace NewsBot.Host.Evaluation;

/// <summary>
/// <c>eval --dataset PATH</c>: asks every question of a shared eval set and prints the README's metrics.
/// SQuAD-style sets are ingested, all passages in one temporary index, through the real pipeline.
/// </summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(
        HostSettings settings, string datasetPath, bool json, bool useLlm, CancellationToken cancellationToken, string? candidatesPath = null)
    {
        var overrides = new Dictionary<string, string?>();
        if (!useLlm)
            overrides["Llm:Provider"] = "none";
        else if (ConfiguredProvider(settings) is null or "none")
            throw new ConfigurationException("eval --llm needs Llm:Provider (openai, azureopenai or openai-compatible) and its model settings.");

        var folder = Path.GetFullPath(datasetPath);
        if (File.Exists(folder))
            throw new ConfigurationException($"--dataset: {folder} is a file; give the eval set's folder (it holds questions.jsonl or summaries.jsonl).");
        if (SummaryEval.Handles(folder))
            return await SummaryEval.RunAsync(settings, folder, json, overrides, cancellationToken);

        var set = EvalSet.Load(folder);

        string? temp = null;
        try
        {
            if (set.Contexts is not null)
            {
                temp = Directory.CreateTempSubdirectory("newsbot-eval-").FullName;
                var seeds = Directory.CreateDirectory(Path.Combine(temp, "seeds")).FullName;
                await EvalSeeds.WriteAsync(seeds, Path.Combine(folder, "contexts.jsonl"), set.Contexts, cancellationToken);
                overrides["Ingestion:SeedsPath"] = seeds;
                overrides["Storage:IndexPath"] = Path.Combine(temp, "index.db");
            }

            using var trace = candidatesPath is null ? null : CandidateTrace.Open(candidatesPath);
            using var host = await NewsBotHost.BuildReadyAsync(
                settings with { Overrides = overrides }, null, cancellationToken, trace is null ? null : b => b.Services.AddSingleton<IReadingTrace>(trace));
            var engine = host.Services.GetRequiredService<INewsBotEngine>();
            var catalog = host.Services.GetRequiredService<IArticleCatalog>();
            var contexts = set.Contexts?.ToDictionary(c => c.ContextId, c => c.Text, StringComparer.OrdinalIgnoreCase);
            var raw = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            string? SourceText(string id) => contexts is not null
                ? contexts.GetValueOrDefault(id)
                : raw.TryGetValue(id, out var text) ? text
                : raw[id] = catalog.Find(id) is { } a && File.Exists(a.Path) ? File.ReadAllText(a.Path) : null;

            var outcomes = new List<EvalOutcome>();
            foreach (var question in set.Questions)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var answer = await engine.AskAsync(new Question(question.Question), cancellationToken);
                    outcomes.Add(EvalScorer.Score(question, answer, watch.Elapsed.TotalMilliseconds, set.CaseInsensitive, SourceText));
                }
                catch (QuestionRejectedException e)
                {
                    outcomes.Add(new EvalOutcome(question, null, watch.Elapsed.TotalMilliseconds, false, false, !question.Answerable, true, e.Message)
                    {
                        ChoiceCredit = ChoiceJudge.Credit(question, null),
                    });
                }
            }

            var reader = host.Services.GetService<IAnswerReader>();
            var metrics = EvalMetrics.Of(set.Name, outcomes, reader?.MinProbability);
            if (json)
            {
                foreach (var o in outcomes)
                    Console.WriteLine(OutcomeJson(o));
                Console.WriteLine(JsonSerializer.Serialize(metrics));
            }
            else
            {
                foreach (var o in outcomes.Where(o => o.Question.Answerable ? !o.Supported : !o.Refused))
                {
                    var got = o.Answer is null ? o.Error : o.Answer.Answered ? string.Join(" | ", o.Answer.Citations.Take(2).Select(c => Shorten(c.Quote))) : "(refused)";
                    Console.WriteLine($"miss {o.Question.Id} [{(o.Question.Answerable ? "answerable" : "unanswerable")}] {o.Question.Question}\n     gold: {string.Join(" / ", o.Question.Gold)}\n     got:  {got}");
                }

                Console.WriteLine(metrics.ToText());
            }

            return CommandLine.Ok;
        }
        finally
        {
            if (temp is not null)
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
    }

    private static string? ConfiguredProvider(HostSettings settings)
    {
        using var host = NewsBotHost.Build(settings);
        return host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Llm:Provider"]?.Trim().ToLowerInvariant();
    }

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..157] + "…";

    private static string OutcomeJson(EvalOutcome o) => JsonSerializer.Serialize(new
    {
        id = o.Question.Id,
        question = o.Question.Question,
        answerable = o.Question.Answerable,
        answered = o.Answer?.Answered ?? false,
        supported = o.Supported,
        firstCitationCorrect = o.FirstCitationCorrect,
        refused = o.Refused,
        verbatim = o.Verbatim,
        quotes = o.Answer?.Citations.Select(c => c.Quote) ?? [],
        shortAnswer = o.Answer?.ShortAnswer?.Text,
        shortAnswerRight = o.ShortAnswerRight,
        choiceCredit = o.ChoiceCredit,
        elapsedMs = Math.Round(o.ElapsedMs, 2),
        error = o.Error,
    });
}

/// <summary>The numbers an eval run reports.</summary>
public sealed record EvalMetrics(
    string Dataset,
    int Questions,
    int Answerable,
    int Unanswerable,
    double Support,
    double FirstCitationAccuracy,
    double CitationsPerAnswer,
    double MeanQuoteLength,
    double RefusalAccuracy,
    double VerbatimRate,
    double LatencyP50Ms,
    double LatencyP95Ms,
    bool Reader,
    double? ReaderMinProbability)
{
    /// <summary>Answers that led with a short answer.</summary>
    public int ShortAnswers { get; init; }

    /// <summary>Of <see cref="ShortAnswers"/>, the share that is right (<see cref="EvalOutcome.ShortAnswerRight"/>).</summary>
    public double ShortAnswerAccuracy { get; init; }

    /// <summary>Multiple-choice questions scored by <see cref="ChoiceJudge"/>.</summary>
    public int ChoiceQuestions { get; init; }

    /// <summary>Mean <see cref="EvalOutcome.ChoiceCredit"/> over <see cref="ChoiceQuestions"/>.</summary>
    public double ChoiceAccuracy { get; init; }

    /// <param name="readerMinProbability">The reader's threshold when the trained reader answered; null when it was off.</param>
    public static EvalMetrics Of(string name, IReadOnlyList<EvalOutcome> outcomes, double? readerMinProbability = null)
    {
        var answerable = outcomes.Where(o => o.Question.Answerable).ToList();
        var unanswerable = outcomes.Where(o => !o.Question.Answerable).ToList();
        var answered = outcomes.Where(o => o.Answer?.Answered == true).ToList();
        var quotes = outcomes.SelectMany(o => o.Answer?.Citations ?? []).ToList();
        var latencies = outcomes.Select(o => o.ElapsedMs).Order().ToList();
        var shortAnswers = answered.Where(o => o.Answer!.ShortAnswer is not null).ToList();
        var choices = outcomes.Where(o => o.ChoiceCredit is not null).Select(o => o.ChoiceCredit!.Value).ToList();
        return new EvalMetrics(
            name,
            outcomes.Count,
            answerable.Count,
            unanswerable.Count,
            Share(answerable, o => o.Supported),
            Share(answerable, o => o.FirstCitationCorrect),
            answered.Count == 0 ? 0 : answered.Average(o => o.Answer!.Citations.Count),
            quotes.Count == 0 ? 0 : quotes.Average(c => c.Quote.Length),
            Share(unanswerable, o => o.Refused),
            Share(outcomes.Where(o => o.Answer is not null).ToList(), o => o.Verbatim),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            readerMinProbability is not null,
            readerMinProbability)
        {
            ShortAnswers = shortAnswers.Count,
            ShortAnswerAccuracy = Share(shortAnswers, o => o.ShortAnswerRight),
            ChoiceQuestions = choices.Count,
            ChoiceAccuracy = choices.Count == 0 ? 0 : choices.Average(),
        };
    }

    public string ToText() => string.Create(CultureInfo.InvariantCulture, $"""
        dataset {Dataset}: {Questions} questions ({Answerable} answerable, {Unanswerable} unanswerable)
          support               {Support:P1}
          first-citation acc.   {FirstCitationAccuracy:P1}
          citations per answer  {CitationsPerAnswer:F2}
          mean quote length     {MeanQuoteLength:F0} chars
          refusal accuracy      {(Unanswerable == 0 ? "n/a" : RefusalAccuracy.ToString("P1", CultureInfo.InvariantCulture))}
          verbatim quotes       {VerbatimRate:P1}
          short answers         {ShortAnswers} led with, {(ShortAnswers == 0 ? "n/a" : ShortAnswerAccuracy.ToString("P1", CultureInfo.InvariantCulture))} right{ChoiceLine}
          latency p50 / p95     {LatencyP50Ms:F1} / {LatencyP95Ms:F1} ms
          reader                {(Reader ? $"on (threshold {ReaderMinProbability:F3})" : "off")}
        """);

    /// <summary>The judge's line, printed only for a multiple-choice set.</summary>
    private string ChoiceLine => ChoiceQuestions == 0
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"\n  choice accuracy       {ChoiceAccuracy:P1} ({ChoiceQuestions} multiple-choice questions, lexical judge)");

    private static double Share(IReadOnlyList<EvalOutcome> outcomes, Func<EvalOutcome, bool> predicate) =>
        outcomes.Count == 0 ? 0 : (double)outcomes.Count(predicate) / outcomes.Count;

    internal static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
