using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Summaries;
using Spectre.Console;

namespace NewsBot.Host.Cli;

/// <summary>
/// The verbs: the one-shot ones build the host, bring the index up to date (with its progress shown when there is
/// embedding to do), do their job and exit; the chat answers at once from the stored index while it is refreshed.
/// </summary>
public static class Commands
{
    public static async Task<int> AskAsync(HostSettings settings, string? question, bool json, string? sourceId, CancellationToken cancellationToken)
    {
        using var host = NewsBotHost.Build(settings);
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        // An empty or over-long question is refused before any indexing, not after it.
        if (question is not null)
            RefuseWordless(host.Services.GetRequiredService<QuestionGuard>().Clean(question));
        using var preload = ModelPreload.Start(host.Services);
        await NewsBotHost.RefreshAsync(host, ShowProgress, cancellationToken);
        var engine = host.Services.GetRequiredService<INewsBotEngine>();
        if (question is not null)
            return await AskOneAsync(engine, question, json, sourceId, failOnRejection: true, cancellationToken);

        // Questions from standard input, one per line: a bad line is reported and the rest still answered (exit 1 at the
        // end). An unknown --source is the command's mistake, not a line's: it stops at the first line with exit 2.
        var failures = 0;
        while (await ConsoleInput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (await AskOneAsync(engine, line, json, sourceId, failOnRejection: false, cancellationToken) != CommandLine.Ok)
                failures++;
        }

        return failures == 0 ? CommandLine.Ok : CommandLine.RuntimeError;
    }

    private static async Task<int> AskOneAsync(INewsBotEngine engine, string question, bool json, string? sourceId, bool failOnRejection, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            RefuseWordless(question);
            var answer = await engine.AskAsync(new Question(question, sourceId), cancellationToken);
            Console.WriteLine(json ? AnswerOutput.Json(answer, watch.Elapsed.TotalMilliseconds) : AnswerOutput.Text(answer) + (json ? string.Empty : "\n"));
            return CommandLine.Ok;
        }
        catch (QuestionRejectedException e) when (!failOnRejection && e.Problem != QuestionProblem.UnknownSource)
        {
            if (json)
                Console.WriteLine(AnswerOutput.JsonError(question, e.Message, watch.Elapsed.TotalMilliseconds));
            await Console.Error.WriteLineAsync(e.Message);
            return CommandLine.UsageError;
        }
    }

    /// <summary>
    /// A question without a word ("?!", an emoji) asks nothing. A chat answers it as small talk with the usage hint; typed
    /// as the command's argument it is a usage error, like an empty one.
    /// </summary>
    private static void RefuseWordless(string question)
    {
        if (SmallTalk.Recognise(question) == SocialAct.Wordless)
            throw new QuestionRejectedException(QuestionProblem.Empty, QuestionGuard.UsageHint);
    }

    public static async Task<int> SummaryAsync(HostSettings settings, string? sourceId, string length, bool json, CancellationToken cancellationToken)
    {
        using var host = await NewsBotHost.BuildReadyAsync(settings, ShowProgress, cancellationToken);
        var engine = host.Services.GetRequiredService<INewsBotEngine>();
        var watch = Stopwatch.StartNew();
        var summary = await engine.SummarizeAsync(new SummaryRequest(sourceId, SummaryLengths.FromCommandWord(length) ?? SummaryLength.Medium), cancellationToken);
        Console.WriteLine(json ? AnswerOutput.Json(summary, watch.Elapsed.TotalMilliseconds) : AnswerOutput.Text(summary));
        return CommandLine.Ok;
    }

    public static async Task<int> SourcesAsync(HostSettings settings, bool json, CancellationToken cancellationToken)
    {
        using var host = await NewsBotHost.BuildReadyAsync(settings, ShowProgress, cancellationToken);
        var engine = host.Services.GetRequiredService<INewsBotEngine>();
        var sources = engine.ListSources();
        // One object a line, so no articles is no line (an empty one is not JSON).
        foreach (var line in json ? sources.Select(AnswerOutput.Json) : [AnswerOutput.Text(sources, engine.IndexNotice())])
            Console.WriteLine(line);
        return CommandLine.Ok;
    }

    public static async Task<int> IngestAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        using var host = NewsBotHost.Build(settings);
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        var ingestor = host.Services.GetRequiredService<Ingestor>();
        Task<ReloadReport> Reload(IProgress<IngestionProgress>? progress) => ingestor.ReloadAsync(progress, waitForOtherIngest: true, cancellationToken);
        ReloadReport report;
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            report = await IndexingDisplay.WithBarAsync(AnsiConsole.Console, Reload, fromStart: true, host.Services.GetRequiredService<TimeProvider>());
        }
        else
        {
            var lastStage = string.Empty;
            report = await Reload(new SynchronousProgress<IngestionProgress>(p =>
            {
                if (p.Stage == "embed" && (p.Done == p.Total || p.Stage != lastStage))
                    Console.WriteLine($"embedding {p.Done}/{p.Total}");
                else if (p.Stage == "read")
                    Console.WriteLine($"reading {p.Item}");
                else if (p.Stage == "wait")
                    Console.WriteLine(AnotherIngestRunning);
                lastStage = p.Stage;
            }));
        }

        if (report.FromStore)
            Console.WriteLine("Ingestion is off in this process (Ingestion:Enabled = false): nothing was read; serving the stored index.");
        Console.WriteLine(ReportLine(report));
        foreach (var problem in report.Problems)
            Console.WriteLine(SkippedLine(problem));
        return CommandLine.Ok;
    }

    public const string AnotherIngestRunning = "Another ingest is running on this index store; waiting for it to finish.";

    public static string SkippedLine(SourceProblem problem) => $"skipped {problem.Path}: {problem.Reason}";

    public static string ReportLine(ReloadReport r) =>
        $"{r.Added} added, {r.Updated} updated, {r.Removed} removed, {r.Unchanged} unchanged; {r.Sentences} sentences, {r.Chunks} chunks; " +
        $"{r.Problems.Count} skipped; {r.Elapsed.TotalSeconds:F2} s; index version {r.Version}";

    public static async Task<int> RunHostAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        using var host = NewsBotHost.Build(settings with { LogLevel = LogLevel.Information }, FrontEnds.Add);
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        var configured = FrontEnds.Configured(host.Services);
        // A process serving /healthz and /metrics runs until stopped, front ends or not (e.g. a warm spare follower).
        var serving = !string.IsNullOrWhiteSpace(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Operations.HealthOptions>>().Value.ListenUrl);
        if (configured.Count > 0 || serving)
        {
            // Looked up first: RunAsync disposes the host.
            var frontEnds = host.Services.GetServices<IHostedService>().OfType<ChatFrontEndService>().ToList();
            try
            {
                // Bound before the services start: a port in use is one configuration error, not a failed start the host logs.
                await host.Services.GetRequiredService<Operations.HealthEndpoint>().ListenAsync(cancellationToken);
            }
            catch
            {
                // Some of the resolved services dispose only asynchronously, which `using` cannot do.
                await ((IAsyncDisposable)host).DisposeAsync();
                throw;
            }

            await host.RunAsync(cancellationToken);
            // A front end the platform refused (a rejected token) stopped the host, having logged which setting to fix.
            return frontEnds.Any(f => f.Refusal is not null) ? CommandLine.UsageError : CommandLine.Ok;
        }

        await Console.Error.WriteLineAsync(FrontEnds.HowToConfigure);
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            var report = await host.Services.GetRequiredService<ReloadCoordinator>().RequestAsync(cancellationToken);
            Console.WriteLine(ReportLine(report));
            return CommandLine.Ok;
        }

        return await ChatAsync(host, cancellationToken);
    }

    /// <summary>
    /// The terminal chat on a built host: it answers from the stored index at once while the index is refreshed in the
    /// background (or, with none stored, once the first index is built), then the host's services start.
    /// </summary>
    public static async Task<int> ChatAsync(IHost host, CancellationToken cancellationToken)
    {
        using var refreshing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var background = await IndexingDisplay.ForChatAsync(host, refreshing.Token);
        try
        {
            await host.StartAsync(cancellationToken);
            return await TerminalChat.RunAsync(host, cancellationToken);
        }
        finally
        {
            // Stopped before the host, whose services (the embedding model) the refresh uses.
            await refreshing.CancelAsync();
            await background;
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The <c>chat</c> verb; the follower keeps the chat on the index other processes publish while it runs.</summary>
    public static async Task<int> ChatAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        using var host = NewsBotHost.Build(settings, builder => builder.Services.AddHostedService(sp => sp.GetRequiredService<IndexFollower>()));
        await NewsBotHost.ValidateOptionsAsync(host, cancellationToken);
        using var preload = ModelPreload.Start(host.Services);
        return await ChatAsync(host, cancellationToken);
    }

    private static Task<ReloadReport> ShowProgress(Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh) =>
        IndexingDisplay.WaitAsync(refresh, TimeProvider.System);
}
