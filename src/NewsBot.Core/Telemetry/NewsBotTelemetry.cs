using System.Diagnostics;
using System.Diagnostics.Metrics;
using NewsBot.Ingestion;

namespace NewsBot.Telemetry;

/// <summary>
/// NewsBot's metrics and traces, on the platform's own <see cref="Meter"/> and <see cref="ActivitySource"/>
/// so the engine depends on no exporter: the host subscribes OpenTelemetry (Prometheus, OTLP) to <see cref="Name"/>.
/// </summary>
public static class NewsBotTelemetry
{
    public const string Name = "NewsBot";

    private static ServedIndex _served = new(0, 0, 0);

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    public static Counter<long> QuestionsAsked { get; } = Meter.CreateCounter<long>("newsbot.questions.asked", "{question}", "Questions received by the engine");

    public static Counter<long> QuestionsAnswered { get; } = Meter.CreateCounter<long>("newsbot.questions.answered", "{question}", "Questions answered with citations");

    public static Counter<long> QuestionsRefused { get; } = Meter.CreateCounter<long>("newsbot.questions.refused", "{question}", "Questions the articles do not answer");

    public static Histogram<double> AnswerDuration { get; } = Meter.CreateHistogram<double>(
        "newsbot.answer.duration", "s", "Time to answer a question, retrieval and verification included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static Histogram<double> IngestDuration { get; } = Meter.CreateHistogram<double>("newsbot.ingest.duration", "s", "Time of one ingest of the seeds folder");

    public static Counter<long> IngestedSources { get; } = Meter.CreateCounter<long>("newsbot.ingest.sources", "{source}", "Sources added, updated or removed by ingests (tag change)");

    public static Counter<long> IngestedSentences { get; } = Meter.CreateCounter<long>("newsbot.ingest.sentences", "{sentence}", "Sentences embedded by ingests");

    public static Counter<long> FrontEndReconnects { get; } = Meter.CreateCounter<long>("newsbot.frontend.reconnects", "{reconnect}", "Chat front-end connections re-established (tag frontend)");

    public static Counter<long> FrontEndRestarts { get; } = Meter.CreateCounter<long>("newsbot.frontend.restarts", "{restart}", "Chat front ends started again after a crash (tag frontend)");

    public static Counter<long> FrontEndRateLimited { get; } = Meter.CreateCounter<long>("newsbot.frontend.rate_limited", "{response}", "HTTP 429 answers a chat platform sent (tag frontend)");

    public static Counter<long> StoreReconnects { get; } = Meter.CreateCounter<long>("newsbot.store.reconnects", "{reconnect}", "Index store connections re-established after an outage");

    /// <summary>The index this process serves, for the index gauges (exported on <c>/metrics</c> and over OTLP).</summary>
    public static ServedIndex Served => Volatile.Read(ref _served);

    static NewsBotTelemetry()
    {
        Meter.CreateObservableGauge("newsbot.index.version", () => Served.Version, "{version}", "Index version being served");
        Meter.CreateObservableGauge("newsbot.index.sources", () => Served.Sources, "{source}", "Sources in the served index");
        Meter.CreateObservableGauge("newsbot.index.sentences", () => Served.Sentences, "{sentence}", "Sentences in the served index");
    }

    /// <summary>
    /// The index freshness gauges, on a meter of this name from the host's <paramref name="meters"/> rather than on
    /// <see cref="Meter"/>: they read one host's <paramref name="health"/>, and a process may hold several hosts (tests do),
    /// which tell their own gauges apart by the meter's <see cref="Meter.Scope"/>. The host's meters dispose of them.
    /// </summary>
    internal static void ObserveIndexHealth(IndexHealth health, IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        meter.CreateObservableGauge("newsbot.index.age", () => SecondsSince(health, health.Current.LoadedAt), "s", "Seconds since the served index was loaded");
        meter.CreateObservableGauge(
            "newsbot.index.refresh.age", () => SecondsSince(health, health.Current.LastRefreshAt), "s",
            "Seconds since the store was last found to hold the served index (a follower checks every Storage:CheckIntervalSeconds)");
        meter.CreateObservableGauge(
            "newsbot.index.degraded", () => health.Current.Degraded ? 1 : 0, "{state}",
            "1 while the store cannot be followed (unreachable, failing, damaged, being repaired) or the last ingest failed, else 0");
    }

    private static IEnumerable<Measurement<double>> SecondsSince(IndexHealth health, DateTimeOffset? at) =>
        at is { } time ? [new Measurement<double>(Math.Max(0, (health.Now - time).TotalSeconds))] : [];

    internal static void RecordServed(ServedIndex served) => Volatile.Write(ref _served, served);

    public static void RecordReconnect(string frontEnd) => FrontEndReconnects.Add(1, new KeyValuePair<string, object?>("frontend", frontEnd));

    public static void RecordRestart(string frontEnd) => FrontEndRestarts.Add(1, new KeyValuePair<string, object?>("frontend", frontEnd));

    public static void RecordRateLimited(string frontEnd) => FrontEndRateLimited.Add(1, new KeyValuePair<string, object?>("frontend", frontEnd));
}

public sealed record ServedIndex(long Version, int Sources, int Sentences);
