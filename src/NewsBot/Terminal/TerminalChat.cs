using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Retrieval;
using NewsBot.Sources;
using NewsBot.Summaries;

namespace NewsBot.Host.Cli;

/// <summary>A local chat channel in the terminal: questions, and a few slash commands like in Discord.</summary>
public static class TerminalChat
{
    private const string Help = """
        Ask a question about the articles, or:
          /summary [source] [short|medium|long]   cited summary of an article (its id or headline words; none: the news)
          /sources                                 the indexed articles
          /reload                                  re-read the seeds folder
          /help                                    this help
          /quit                                    leave (or quit, exit, bye)
        """;

    private const string Prompt = "> ";

    private const int TitlesInWelcome = 3;

    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        var engine = host.Services.GetRequiredService<INewsBotEngine>();
        var conversation = $"terminal:{Environment.ProcessId}";
        if (SystemTerminal.SupportsEditing)
        {
            var editor = new ConsoleLineEditor(new SystemTerminal());
            using var owned = host.Services.GetRequiredService<TerminalLogRoute>().Own(editor);
            Console.WriteLine(Welcome(engine.ListSources()));
            return await ConverseAsync(engine, conversation, token => editor.ReadLineAsync(Prompt, token), cancellationToken);
        }

        // Piped input reads plain lines; a terminal whose output is redirected still gets a prompt to type at.
        var typed = !Console.IsInputRedirected;
        if (typed)
            Console.WriteLine(Welcome(engine.ListSources()));
        return await ConverseAsync(engine, conversation, token =>
        {
            if (typed)
                Console.Write(Prompt);
            return ConsoleInput.ReadLineAsync(token);
        }, cancellationToken);
    }

    /// <summary>The first line a person sees: what there is to ask about, and where the commands are.</summary>
    internal static string Welcome(IReadOnlyList<SourceInfo> sources) => sources.Count switch
    {
        0 => "NewsBot chat. No articles are loaded: put .txt, .md or .html files in the seeds folder and type /reload.",
        1 => $"NewsBot chat about {QuoteMarks.Wrap(sources[0].Title)}. Ask a question about it, or type /help for commands.",
        <= TitlesInWelcome => $"NewsBot chat about {sources.Count} articles: {string.Join("; ", sources.Select(s => QuoteMarks.Wrap(s.Title)))}. Ask a question, or type /help for commands.",
        _ => string.Create(CultureInfo.InvariantCulture, $"NewsBot chat about {sources.Count:N0} articles (/sources lists them). Ask a question, or type /help for commands."),
    };

    private static async Task<int> ConverseAsync(
        INewsBotEngine engine, string conversation, Func<CancellationToken, Task<string?>> readLine, CancellationToken cancellationToken)
    {
        while (await readLine(cancellationToken) is { } typed)
        {
            var line = typed.Trim();
            if (line.Length == 0)
                continue;
            try
            {
                if (!await HandleAsync(engine, conversation, line, cancellationToken))
                    return CommandLine.Ok;
            }
            catch (QuestionRejectedException e)
            {
                Console.WriteLine(e.Message);
            }
            catch (IndexRefreshException e)
            {
                Console.WriteLine($"The reload failed: {e.Message}. The articles indexed before are still served.");
            }
            catch (EmbeddingUnavailableException e)
            {
                Console.WriteLine($"I could not look that up: {e.Message}. Please try again later.");
            }

            Console.WriteLine();
        }

        return CommandLine.Ok;
    }

    private static async Task<bool> HandleAsync(INewsBotEngine engine, string conversation, string line, CancellationToken cancellationToken)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words[0].ToLowerInvariant())
        {
            case "/quit" or "/exit":
                return false;
            case "/help":
                Console.WriteLine(Help);
                return true;
            case "/sources":
                Console.WriteLine(AnswerOutput.Text(engine.ListSources(), engine.IndexNotice()));
                return true;
            case "/reload":
                Console.WriteLine("Reloading…");
                Console.WriteLine(Commands.ReportLine(await engine.ReloadAsync(cancellationToken)));
                return true;
            case "/summary":
                var length = words.Skip(1).Select(SummaryLengths.FromCommandWord).LastOrDefault(l => l is not null) ?? SummaryLength.Medium;
                // "/summary short time warner": every word that is not a length names the article.
                var source = string.Join(' ', words.Skip(1).Where(w => SummaryLengths.FromCommandWord(w) is null)) is { Length: > 0 } named ? named : null;
                Console.WriteLine(AnswerOutput.Text(await engine.SummarizeAsync(new SummaryRequest(source, length, conversation), cancellationToken)));
                return true;
            default:
                if (line.StartsWith('/'))
                {
                    Console.WriteLine($"Unknown command {words[0]}. Type /help.");
                    return true;
                }

                if (SmallTalk.Recognise(line) == SocialAct.Farewell)
                {
                    Console.WriteLine(SmallTalk.FarewellReply);
                    return false;
                }

                var watch = Stopwatch.StartNew();
                var answer = await engine.AskAsync(new Question(line, ConversationId: conversation), cancellationToken);
                Console.WriteLine(AnswerOutput.Text(answer));
                Console.Error.WriteLine($"({watch.Elapsed.TotalMilliseconds:F0} ms)");
                return true;
        }
    }
}
