using System.Globalization;
using System.Runtime.InteropServices;
using System.CommandLine;
using Microsoft.Extensions.Options;
using NewsBot.Answering;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Summaries;

namespace NewsBot.Host.Cli;

/// <summary>The verbs of the <c>newsbot</c> command and the one place that turns failures into exit codes.</summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int RuntimeError = 1;
    public const int UsageError = 2;

    /// <summary>128 + SIGINT, what shells report for a program stopped with Ctrl-C.</summary>
    public const int Interrupted = 130;

    /// <summary>128 + SIGTERM, what a supervisor sees when it stopped the program.</summary>
    public const int Terminated = 143;

    /// <summary>The hidden <c>bench</c> option that makes the restarted process of <c>bench --scale</c>.</summary>
    public const string ScaleRestartOption = "--scale-restart";

    public static async Task<int> RunAsync(string[] args)
    {
        var config = new Option<string?>("--config") { Description = "Extra JSON settings file, layered over appsettings.json", Recursive = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of text" };
        var source = new Option<string?>("--source") { Description = "Only this article (its id, see `sources`)" };
        var length = new Option<string>("--length") { Description = "Summary length", DefaultValueFactory = _ => "medium" };
        length.AcceptOnlyFromAmong([.. SummaryLengths.CommandWords]);
        // The words of an unquoted question arrive as separate tokens; they are joined back into one question.
        var question = new Argument<string[]>("question") { Description = "The question (quoted or not); without it, questions are read from standard input, one per line", Arity = ArgumentArity.ZeroOrMore };
        question.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } option)
                r.AddError($"Unknown option '{option.Value}'.");
        });
        var dataset = new Option<string>("--dataset") { Description = "Folder of an eval set: questions.jsonl [+ contexts.jsonl], or summaries.jsonl for a summary set", Required = true };
        var llm = new Option<bool>("--llm") { Description = "Use the configured language model (Llm:Provider) instead of the extractive answerer" };

        var ask = new Command("ask", "Answer questions with exact, cited quotes") { question, json, source };
        ask.SetAction(r => Guard(token => Commands.AskAsync(Settings(r, config), QuestionOf(r.GetValue(question)), r.GetValue(json), r.GetValue(source), token)));

        var summary = new Command("summary", "Summarise an article with cited sentences") { source, length, json };
        summary.SetAction(r => Guard(token => Commands.SummaryAsync(Settings(r, config), r.GetValue(source), r.GetValue(length)!, r.GetValue(json), token)));

        var sources = new Command("sources", "List the indexed articles") { json };
        sources.SetAction(r => Guard(token => Commands.SourcesAsync(Settings(r, config), r.GetValue(json), token)));

        var ingest = new Command("ingest", "Index the seeds folder now and print what changed");
        ingest.SetAction(r => Guard(token => Commands.IngestAsync(Settings(r, config), token)));

        var chat = new Command("chat", "An interactive local chat channel in the terminal");
        chat.SetAction(r => Guard(token => Commands.ChatAsync(Settings(r, config), token)));

        var run = new Command("run", "Run the bot: ingestion worker plus every configured chat front end");
        run.SetAction(r => Guard(token => Commands.RunHostAsync(Settings(r, config), token)));

        var candidates = new Option<string?>("--candidates") { Description = "Also write the candidates the reader read for each question, with their features, to this file (JSON lines, for training/reader/fuse.py)" };
        var eval = new Command("eval", "Measure answer quality on an eval set") { dataset, json, llm, candidates };
        eval.SetAction(r => Guard(token => Evaluation.EvalCommand.RunAsync(
            Settings(r, config), r.GetValue(dataset)!, r.GetValue(json), r.GetValue(llm), token, r.GetValue(candidates))));

        var scale = new Option<int?>("--scale")
        {
            Description = "Instead: load a synthetic archive of this many sentences and time answers on it",
            // Parsed here, not checked in a validator: a validator reading a value that is not a number throws.
            CustomParser = r =>
            {
                if (r.Tokens is [{ Value: var value }] && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var sentences) && sentences is >= 100 and <= 20_000_000)
                    return sentences;
                r.AddError("--scale must be a whole number of sentences between 100 and 20000000.");
                return null;
            },
        };
        var keep = new Option<string?>("--keep") { Description = "With --scale: prepare the archive in this folder and keep it; a later run on the folder measures it again without preparing" };
        // Internal: bench --scale starts itself again with this option to measure a restarted process on the store it prepared.
        var scaleRestart = new Option<string?>(ScaleRestartOption) { Hidden = true };
        var bench = new Command("bench", "Measure ingest throughput, warm ask latency and memory") { json, scale, keep, scaleRestart };
        // Otherwise the plain bench would run, ignoring the folder the user meant to prepare the archive in.
        bench.Validators.Add(r =>
        {
            if (r.GetResult(keep) is not null && r.GetResult(scale) is null)
                r.AddError("--keep prepares the synthetic archive of --scale; give --scale N too.");
        });
        bench.SetAction(r => Guard(token => r.GetValue(scale) is { } sentences
            ? Benchmarks.ScaleBench.RunAsync(Settings(r, config), sentences, r.GetValue(json), r.GetValue(keep), r.GetValue(scaleRestart), token)
            : Benchmarks.BenchCommand.RunAsync(Settings(r, config), r.GetValue(json), token)));

        var root = new RootCommand("NewsBot answers questions about news articles with exact, cited quotes.")
        {
            config, ask, summary, sources, ingest, chat, run, eval, bench,
        };
        root.SetAction(r => Guard(token => Commands.RunHostAsync(Settings(r, config), token)));

        // No response files: a question may start with '@' ("@everyone why…"), and `ask @FILE` must not read FILE.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync("Try `newsbot --help`.");
            return UsageError;
        }

        // Guard handles the signals itself.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static string? QuestionOf(string[]? words) => words is null or [] ? null : string.Join(' ', words);

    private static HostSettings Settings(ParseResult result, Option<string?> config) => new(result.GetValue(config));

    /// <summary>Every failure becomes one clear line on standard error and an exit code; nothing secret is printed.</summary>
    private static async Task<int> Guard(Func<CancellationToken, Task<int>> command)
    {
        // Signals are handled here rather than by the parser, so that every verb (a chat waiting for input too)
        // stops on the first one and says so at once: unwinding may take seconds (an embedding batch).
        using var stop = new CancellationTokenSource();
        var exitCode = 0;
        void OnSignal(PosixSignalContext context, int code)
        {
            if (Interlocked.CompareExchange(ref exitCode, code, 0) != 0)
                return; // a second signal ends the process at once
            context.Cancel = true;
            Console.Error.WriteLine(code == Interrupted ? "interrupted" : "terminated");
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, Interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, Terminated));
        try
        {
            var code = await command(stop.Token);
            return stop.IsCancellationRequested ? exitCode : code;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Whatever the stopped work threw (the ONNX runtime throws its own exception for a cancelled run):
            // the index is only ever replaced whole, so the last good one is intact.
            return exitCode;
        }
        catch (QuestionRejectedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return UsageError;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in ConfigurationErrors.Describe(e))
                await Console.Error.WriteLineAsync($"configuration error: {failure}");
            return UsageError;
        }
        catch (IndexStoreUnavailableException e)
        {
            await Console.Error.WriteLineAsync(e.IsConfigurationError ? $"configuration error: {e.Message}" : $"error: {e.Message}");
            return e.IsConfigurationError ? UsageError : RuntimeError;
        }
        catch (IndexRefreshException e)
        {
            // Only reaches here with no stored index to fall back on.
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return RuntimeError;
        }
        catch (EmbeddingUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return RuntimeError;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}");
            return UsageError;
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"configuration error: {ConfigurationErrors.Describe(e)}");
            return UsageError;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}");
            return UsageError;
        }
        catch (DirectoryNotFoundException e)
        {
            // A folder named by a setting or an option (Ingestion:SeedsPath, --dataset): the user's to fix.
            await Console.Error.WriteLineAsync($"configuration error: {e.Message}");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return RuntimeError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return RuntimeError;
        }
    }
}
