using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using Spectre.Console;

namespace NewsBot.Host.Cli;

/// <summary>
/// Shows a refresh of the index while it runs, on standard error (standard output is for answers): a progress bar on a
/// terminal, otherwise one line when the slow part (embedding new or changed articles) starts and one when it ends.
/// A refresh with nothing to embed takes well under a second and shows nothing.
/// </summary>
internal static class IndexingDisplay
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    // Interactive by decision, not detection: Spectre's detection looks at standard output, which may go to a file
    // (`ask … > answer.txt`) while a person watches standard error.
    private static readonly Lazy<IAnsiConsole> ErrorConsole = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = InteractionSupport.Yes,
    }));

    /// <summary>Whether a person watches standard error on a terminal.</summary>
    public static bool ErrorIsTerminal => !Console.IsErrorRedirected;

    /// <summary>A refresh the caller waits for before it answers (a one-shot verb, or a chat with no stored index yet).</summary>
    public static async Task<ReloadReport> WaitAsync(Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh, TimeProvider time)
    {
        var report = await ShowAsync(refresh, time);
        // `ingest` names skipped files; other verbs stay quiet about them, unless no article could be read at all: then
        // the answer ("No articles are loaded yet") would not say why.
        if (report.Sentences == 0)
        {
            foreach (var problem in report.Problems)
                Console.Error.WriteLine(Commands.SkippedLine(problem));
        }

        return report;
    }

    private static async Task<ReloadReport> ShowAsync(Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh, TimeProvider time)
    {
        if (ErrorIsTerminal)
            return await WithBarAsync(ErrorConsole.Value, refresh, fromStart: false, time);

        var started = false;
        var report = await refresh(new SynchronousProgress<IngestionProgress>(p =>
        {
            if (EmbeddingStarts(p) && !started)
            {
                started = true;
                Console.Error.WriteLine($"Indexing {Articles(p)} before answering…");
            }
        }));
        if (started)
            Console.Error.WriteLine("Index updated: " + Commands.ReportLine(report));
        return report;
    }

    /// <summary>
    /// Starts a refresh that runs while a chat answers from the stored index, and says when it embeds and when the
    /// refreshed index is served, or why it failed (the stored index stays served). Returns once the refresh has
    /// finished or started embedding, so the first notice comes before the chat's prompt; later lines go above the prompt
    /// (<paramref name="say"/>). The task it returns never fails.
    /// </summary>
    public static async Task<Task> InBackgroundAsync(
        Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh, long version, TerminalLogRoute say, CancellationToken stopping)
    {
        var embedding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SynchronousProgress<IngestionProgress>(p =>
        {
            if (EmbeddingStarts(p) && embedding.TrySetResult())
                say.WriteLine($"Indexing {Articles(p)} in the background; until it is done, answers come from the index stored before.");
        });
        var running = RunAsync();
        await Task.WhenAny(running, embedding.Task);
        return running;

        async Task RunAsync()
        {
            await Task.Yield();
            try
            {
                var report = await refresh(progress);
                if (embedding.Task.IsCompleted)
                    say.WriteLine("Index updated; answers now come from it: " + Commands.ReportLine(report));
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // The chat is over; whatever the stopped work threw, the stored index is whole.
            }
            catch (IndexRefreshException e)
            {
                say.WriteLine(NewsBotHost.StoredIndexWarning(e, version));
            }
            catch (Exception e) when (e is IndexStoreUnavailableException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException)
            {
                say.WriteLine($"warning: refreshing the index failed ({e.Message}); answering from the stored index (version {version}) as it is.");
            }
        }
    }

    /// <summary>
    /// Gets a built host's index ready for a chat: the stored index is served at once and refreshed in the background;
    /// without one, the chat waits for the first index. Returns the background refresh (completed when there is none),
    /// which <paramref name="stopping"/> stops.
    /// </summary>
    public static async Task<Task> ForChatAsync(IHost host, CancellationToken stopping)
    {
        var ingestor = host.Services.GetRequiredService<Ingestor>();
        await ingestor.LoadStoredAsync(stopping);
        Task<ReloadReport> Refresh(IProgress<IngestionProgress>? progress) => ingestor.ReloadAsync(progress, stopping);
        if (NewsBotHost.ServesStored(host, out var version))
            return await InBackgroundAsync(Refresh, version, host.Services.GetRequiredService<TerminalLogRoute>(), stopping);
        await WaitAsync(Refresh, host.Services.GetRequiredService<TimeProvider>());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs <paramref name="refresh"/> under a progress bar on <paramref name="console"/>, drawn from the start, or only
    /// once embedding starts so that a refresh with nothing to embed leaves the terminal as it was.
    /// </summary>
    public static async Task<ReloadReport> WithBarAsync(
        IAnsiConsole console, Func<IProgress<IngestionProgress>?, Task<ReloadReport>> refresh, bool fromStart, TimeProvider time)
    {
        IngestionProgress? latest = null;
        var embedding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = refresh(new SynchronousProgress<IngestionProgress>(p =>
        {
            Volatile.Write(ref latest, p);
            if (EmbeddingStarts(p))
                embedding.TrySetResult();
        }));
        if (!fromStart && await Task.WhenAny(work, embedding.Task) == work)
            return await work;

        await console.Progress().StartAsync(async context =>
        {
            var task = context.AddTask("Indexing", maxValue: 1);
            while (!work.IsCompleted)
            {
                Draw(task, Volatile.Read(ref latest));
                await Task.WhenAny(work, Task.Delay(RedrawInterval, time));
            }

            Draw(task, Volatile.Read(ref latest));
            if (work.IsCompletedSuccessfully)
                task.Value = 1;
        });
        return await work;
    }

    private static void Draw(ProgressTask task, IngestionProgress? p)
    {
        if (p is null)
            return;
        task.Description = p.Stage switch
        {
            "embed" => $"Embedding {Articles(p)}",
            "wait" => "Waiting for another ingest",
            _ => $"Reading {p.Item}",
        };
        task.Value = p.Total == 0 ? 1 : (double)p.Done / p.Total;
    }

    private static bool EmbeddingStarts(IngestionProgress p) => p.Stage == "embed" && p.Done == 0;

    private static string Articles(IngestionProgress p) => p.Articles == 1 ? "1 new or changed article" : $"{p.Articles} new or changed articles";
}

/// <summary>Reports on the calling thread, so progress lines come out in order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
