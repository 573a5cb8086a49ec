using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Host.Cli;
using NewsBot.Host.Hosting;
using NewsBot.Ingestion;
using NewsBot.Summaries;

namespace NewsBot.Host.Cli;

/// <summary>A local chat channel in the terminal: questions, and a few slash commands like in Discord.</summary>
public static class TerminalChat
{
    private const string Help = """
        Ask a question about the articles, or:
          /summary [source] [short|medium|long]   cited summary of an article
          /sources                                 the indexed articles
          /reload                                  re-read the seeds folder
          /help                                    this help
          /quit                                    leave
        """;

    public static async Task<int> RunAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        // The follower keeps the chat on the index other processes publish while it runs.
        using var host = await NewsBotHost.BuildReadyAsync(settings, null, cancellationToken,
            builder => builder.Services.AddHostedService(sp => sp.GetRequiredService<IndexFollower>()), loadModels: true);
        await host.StartAsync(cancellationToken);
        try
        {
            return await RunAsync(host, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken)
    {
        var engine = host.Services.GetRequiredService<INewsBotEngine>();
        var conversation = $"terminal:{Environment.ProcessId}";
        var interactive = !Console.IsInputRedirected;
        if (interactive)
            Console.WriteLine("NewsBot chat. " + Help.Split('\n')[0] + " Type /help for commands.");

        while (true)
        {
            if (interactive)
                Console.Write("> ");
            var line = await ConsoleInput.ReadLineAsync(cancellationToken);
            if (line is null)
                return CommandLine.Ok;
            line = line.Trim();
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

            Console.WriteLine();
        }
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
                Console.WriteLine(AnswerOutput.Text(engine.ListSources()));
                return true;
            case "/reload":
                Console.WriteLine("Reloading…");
                Console.WriteLine(Commands.ReportLine(await engine.ReloadAsync(cancellationToken)));
                return true;
            case "/summary":
                var length = words.Skip(1).Select(w => Enum.TryParse<SummaryLength>(w, true, out var l) ? l : (SummaryLength?)null).LastOrDefault(l => l is not null) ?? SummaryLength.Medium;
                var source = words.Skip(1).FirstOrDefault(w => !Enum.TryParse<SummaryLength>(w, true, out _));
                Console.WriteLine(AnswerOutput.Text(await engine.SummarizeAsync(new SummaryRequest(source, length), cancellationToken)));
                return true;
            default:
                if (line.StartsWith('/'))
                {
                    Console.WriteLine($"Unknown command {words[0]}. Type /help.");
                    return true;
                }

                var watch = Stopwatch.StartNew();
                var answer = await engine.AskAsync(new Question(line, ConversationId: conversation), cancellationToken);
                Console.WriteLine(AnswerOutput.Text(answer));
                Console.Error.WriteLine($"({watch.Elapsed.TotalMilliseconds:F0} ms)");
                return true;
        }
    }
}
