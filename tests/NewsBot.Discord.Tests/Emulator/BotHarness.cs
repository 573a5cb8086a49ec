using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;
using NewsBot.Answering;
using NewsBot.Chat;
using NewsBot.Discord.FrontEnd;
using NewsBot.Sources;
using NewsBot.Testing.Hosting;
using NewsBot.Testing.Logging;

namespace NewsBot.Discord.Tests.Emulator;

/// <summary>
/// The Discord front end in a real host (AddDiscordFrontEnd, options validation, hosted service)
/// pointed at a <see cref="DiscordEmulator"/>, with an NSubstitute engine and captured logs.
/// </summary>
public sealed class BotHarness : FrontEndHarness<DiscordEmulator>
{
    private BotHarness(DiscordEmulator emulator, IHost host, INewsBotEngine engine, TestLogs logs)
        : base(emulator, host, logs)
    {
        Emulator = emulator;
        Engine = engine;
    }

    public DiscordEmulator Emulator { get; }

    public INewsBotEngine Engine { get; }

    public static async Task<BotHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<DiscordEmulator>? setUp = null,
        Action<INewsBotEngine>? engineSetUp = null,
        bool waitForReady = true,
        INewsBotEngine? realEngine = null,
        TimeProvider? time = null)
    {
        var emulator = await DiscordEmulator.StartAsync();
        setUp?.Invoke(emulator);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = DiscordEmulator.Token,
            ["Discord:ApiBaseUrl"] = emulator.ApiBaseUrl.ToString(),
            ["Discord:GuildId"] = DiscordEmulator.GuildId,
            ["Discord:Gateway:ReconnectDelayMin"] = "00:00:00.020",
            ["Discord:Gateway:ReconnectDelayMax"] = "00:00:00.200",
            ["Discord:Gateway:ReIdentifyDelayMin"] = "00:00:00.010",
            ["Discord:Gateway:ReIdentifyDelayMax"] = "00:00:00.050",
            ["Discord:Gateway:IdentifyWindow"] = "00:00:00.050",
            ["Discord:Gateway:HelloTimeout"] = "00:00:05",
            ["Discord:Rest:RetryBaseDelay"] = "00:00:00.020",
            ["Discord:Rest:RequestTimeout"] = "00:00:05",
        };
        configure?.Invoke(settings);

        var engine = realEngine ?? Substitute.For<INewsBotEngine>();
        if (realEngine is null)
            StubSeedAnswers(engine);
        engineSetUp?.Invoke(engine);

        var (host, logs) = BuildHost(settings, engine, (services, configuration) =>
        {
            if (time is not null)
                services.AddSingleton(time);
            services.AddDiscordFrontEnd(configuration);
        });
        var harness = new BotHarness(emulator, host, engine, logs);
        await host.StartAsync();
        if (waitForReady)
            await emulator.WaitUntilAsync(() => emulator.Current?.Ready == true && !emulator.CommandRegistrations.IsEmpty, "READY and command registration");
        return harness;
    }

    private static void StubSeedAnswers(INewsBotEngine engine)
    {
        engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
            .Returns(call => SeedArticle.ScheduleAnswer(call.Arg<Question>().Text));
        engine.ListSources().Returns([new SourceInfo(SeedArticle.SourceId, "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack", null, 20, 40, 6)]);
    }

    /// <summary>Fails with everything the emulator objected to.</summary>
    public void AssertNoProblems()
    {
        Emulator.ThrowIfFailed();
        Assert.True(Emulator.Problems.IsEmpty, string.Join("\n", Emulator.Problems));
    }
}
