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
    private BotHarness(DiscordEmulator emulator, IHost host, INewsBotEngine engine, TestLogs logs, bool ownsEmulator)
        : base(emulator, host, logs, ownsEmulator)
    {
        Emulator = emulator;
        Engine = engine;
    }

    public DiscordEmulator Emulator { get; }

    public INewsBotEngine Engine { get; }

    /// <summary>
    /// With <paramref name="shared"/> the bot is one of several processes identified on one Discord with the same token
    /// and shard (the test disposes the emulator), and <paramref name="services"/> adds to its registrations.
    /// </summary>
    public static async Task<BotHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<DiscordEmulator>? setUp = null,
        Action<INewsBotEngine>? engineSetUp = null,
        bool waitForReady = true,
        INewsBotEngine? realEngine = null,
        TimeProvider? time = null,
        DiscordEmulator? shared = null,
        Action<IServiceCollection>? services = null)
    {
        var emulator = shared ?? await DiscordEmulator.StartAsync();
        setUp?.Invoke(emulator);
        var connectionsBefore = emulator.Connections.Count;
        var registrationsBefore = emulator.CommandRegistrations.Count;
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

        var (host, logs) = BuildHost(settings, engine, (registrations, configuration) =>
        {
            if (time is not null)
                registrations.AddSingleton(time);
            registrations.AddDiscordFrontEnd(configuration);
            services?.Invoke(registrations);
        });
        var harness = new BotHarness(emulator, host, engine, logs, ownsEmulator: shared is null);
        await host.StartAsync();
        if (waitForReady)
        {
            await emulator.WaitUntilAsync(
                () => emulator.Connections.Skip(connectionsBefore).Any(c => c.Ready) && emulator.CommandRegistrations.Count > registrationsBefore,
                "READY and command registration");
        }

        return harness;
    }

    private static void StubSeedAnswers(INewsBotEngine engine)
    {
        engine.AskAsync(Arg.Any<Question>(), Arg.Any<CancellationToken>())
            .Returns(call => SeedArticle.ScheduleAnswer(call.Arg<Question>().Text));
        engine.ListSources().Returns([new SourceInfo(SeedArticle.SourceId, "Netanyahu turns down meeting with Russian cybersecurity head linked to US hack", null, 20, 40, 6)]);
        engine.IndexNotice().Returns((string?)null);
        engine.SourceNamed(Arg.Any<string>()).Returns(call =>
            call.Arg<string>().Trim() is var words && (words.Equals(SeedArticle.SourceId, StringComparison.OrdinalIgnoreCase) || words.Contains("netanyahu", StringComparison.OrdinalIgnoreCase))
                ? SeedArticle.SourceId
                : null);
    }

    /// <summary>Fails with everything the emulator objected to.</summary>
    public void AssertNoProblems()
    {
        Emulator.ThrowIfFailed();
        Assert.True(Emulator.Problems.IsEmpty, string.Join("\n", Emulator.Problems));
    }
}
