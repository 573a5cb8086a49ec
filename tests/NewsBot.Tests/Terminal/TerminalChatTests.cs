using NewsBot.Chat;
using NewsBot.Host.Cli;
using NewsBot.Sources;
using NewsBot.Tests.Support;

namespace NewsBot.Tests.Terminal;

/// <summary>The <c>chat</c> verb as a child process with piped standard input, read as plain lines.</summary>
public sealed class TerminalChatTests
{
    private const string QuoteOfTheAnswer = "he must decline your kind invitation.";
    private const string SentenceAfterIt = "The prime minister is scheduled to be in Davos";

    [Fact]
    public async Task A_conversation_quotes_once_answers_small_talk_briefly_reads_on_from_the_quote_and_ends_on_quit()
    {
        using var workspace = new Workspace();
        using var chat = NewsBotProcess.Start(workspace.Root, new Dictionary<string, string>
        {
            ["NEWSBOT__Ingestion__SeedsPath"] = workspace.Seeds,
            ["NEWSBOT__Storage__IndexPath"] = workspace.IndexPath,
        }, "chat");
        foreach (var line in new[] { "Why did the PMO decline the meeting?", "thanks", "what did he say next?", "quit" })
            await chat.Input.WriteLineAsync(line);
        await chat.Input.FlushAsync();

        // Standard input stays open: "quit" alone must end the chat.
        Assert.Equal(0, await chat.WaitForExitAsync());
        var output = chat.Out;
        var all = string.Join('\n', output);

        Assert.Equal(1, Occurrences(all, QuoteOfTheAnswer));
        Assert.Contains(output, l => l.StartsWith("[1] ", StringComparison.Ordinal) && l.Contains('¶', StringComparison.Ordinal));
        Assert.DoesNotContain("””", all, StringComparison.Ordinal);

        var thanks = Array.IndexOf(output, SmallTalk.Reply(SocialAct.Thanks));
        Assert.True(thanks > 0, all);
        Assert.StartsWith("Next, the article says:", output[thanks + 1], StringComparison.Ordinal);
        Assert.Contains(SentenceAfterIt, output[thanks + 1], StringComparison.Ordinal);
        Assert.Equal(SmallTalk.FarewellReply, output[^1]);
    }

    [Theory]
    [InlineData(0, "NewsBot chat. No articles are loaded: put .txt, .md or .html files in the seeds folder and type /reload.")]
    [InlineData(1, "NewsBot chat about “Title 1”. Ask a question about it, or type /help for commands.")]
    [InlineData(3, "NewsBot chat about 3 articles: “Title 1”; “Title 2”; “Title 3”. Ask a question, or type /help for commands.")]
    [InlineData(1000, "NewsBot chat about 1,000 articles (/sources lists them). Ask a question, or type /help for commands.")]
    public void The_welcome_names_what_there_is_to_ask_about(int articles, string expected)
    {
        var sources = Enumerable.Range(1, articles).Select(i => new SourceInfo($"id-{i}", $"Title {i}", null, 3, 10, 2)).ToList();

        Assert.Equal(expected, TerminalChat.Welcome(sources));
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
