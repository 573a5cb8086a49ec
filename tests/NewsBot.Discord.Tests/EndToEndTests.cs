using Microsoft.Extensions.DependencyInjection;
using NewsBot.Chat;
using NewsBot.Discord.Tests.Emulator;
using NewsBot.Host.Hosting;

namespace NewsBot.Discord.Tests;

/// <summary>The Discord front end on the real engine: the real default embedding model, a real SQLite index, the seed article.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("newsbot-discord-e2e-");

    [Fact]
    public async Task Mention_is_answered_by_the_real_engine_with_the_articles_own_words_and_no_ping()
    {
        var seeds = _temp.CreateSubdirectory("seeds");
        File.WriteAllText(Path.Combine(seeds.FullName, SeedArticle.SourceId + ".txt"), SeedArticle.Text);
        using var engineHost = await NewsBotHost.BuildReadyAsync(
            new HostSettings(null, new Dictionary<string, string?>
            {
                ["Ingestion:SeedsPath"] = seeds.FullName,
                ["Storage:IndexPath"] = Path.Combine(_temp.FullName, "index.db"),
                ["Llm:Provider"] = "none",
            }),
            null,
            CancellationToken.None);
        var engine = engineHost.Services.GetRequiredService<INewsBotEngine>();
        await using var bot = await BotHarness.StartAsync(realEngine: engine);

        var question = Fixtures.Mention("why did the PMO decline the meeting? @everyone");
        await bot.Emulator.DispatchAsync("MESSAGE_CREATE", question);
        await bot.Emulator.WaitUntilAsync(() => bot.Emulator.Messages.Count == 1, "the reply");
        await Task.Delay(200);

        var reply = Assert.Single(bot.Emulator.Messages);
        Assert.Equal((string)question["id"]!, reply.ReferencedMessageId);
        Assert.Contains("regrettably, due to the heavy demands of his schedule, he must decline your kind invitation.", reply.AllText, StringComparison.Ordinal);
        Assert.Empty(reply.Pings);
        bot.AssertNoProblems();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Delete(recursive: true);
    }
}
