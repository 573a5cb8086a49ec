using Microsoft.Extensions.Logging;
using NewsBot.Host.Hosting;
using NewsBot.Slack.Tests.Emulator;

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
}
