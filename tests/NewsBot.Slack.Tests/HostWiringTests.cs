using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Chat;
using NewsBot.Host.Hosting;
using NewsBot.Slack.Tests.Emulator;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Slack.Tests;

public sealed class HostWiringTests
{
    [Fact]
    public void The_run_host_starts_the_Slack_front_end_when_a_bot_token_is_set_and_not_otherwise()
    {
        var slack = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackEmulator.BotToken,
            ["Slack:AppToken"] = SlackEmulator.AppToken,
        };

        using (var host = NewsBotHost.Build(new HostSettings(null, slack, LogLevel.Warning), FrontEnds.Add))
            Assert.Contains("Slack", FrontEnds.Configured(host.Services));

        using (var host = NewsBotHost.Build(new HostSettings(null, new Dictionary<string, string?> { ["Slack:BotToken"] = "" }, LogLevel.Warning), FrontEnds.Add))
            Assert.DoesNotContain("Slack", FrontEnds.Configured(host.Services));
    }

    [Fact]
    public void The_run_host_shares_event_claims_through_the_index_store_it_is_given()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = SlackEmulator.BotToken,
            ["Slack:AppToken"] = SlackEmulator.AppToken,
            ["Storage:IndexPath"] = "data/shared.db",
        };

        using (var host = NewsBotHost.Build(new HostSettings(null, settings, LogLevel.Warning), FrontEnds.Add))
            Assert.Equal(SqliteEventClaims.PathBeside("data/shared.db"), Assert.IsType<SqliteEventClaims>(host.Services.GetRequiredService<IEventClaims>()).DatabasePath);

        settings["Storage:Provider"] = "postgres";
        settings["Storage:ConnectionString"] = "Host=127.0.0.1;Port=5432;Database=newsbot;Username=newsbot;Password=unused";
        using (var host = NewsBotHost.Build(new HostSettings(null, settings, LogLevel.Warning), FrontEnds.Add))
            Assert.IsType<PostgresEventClaims>(host.Services.GetRequiredService<IEventClaims>());
    }
}
