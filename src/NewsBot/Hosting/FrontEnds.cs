using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Chat;
using NewsBot.Discord;
using NewsBot.Host.Operations;
using NewsBot.Ingestion;
using NewsBot.Slack;

namespace NewsBot.Host.Hosting;

/// <summary>The chat front ends the <c>run</c> verb hosts, each started only when configured.</summary>
public static class FrontEnds
{
    public const string HowToConfigure =
        "No chat front end is configured. To answer in Discord, set Discord:Token (e.g. NEWSBOT__Discord__Token); in Slack, set Slack:BotToken and Slack:AppToken — see README.md.";

    public static void Add(HostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<IngestionWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IndexFollower>());
        builder.Services.AddHealthEndpoint();
        builder.Services.AddDiscordFrontEnd(builder.Configuration);
        builder.Services.AddSlackFrontEnd(builder.Configuration);
    }

    /// <summary>Names of the front ends that will run.</summary>
    public static IReadOnlyList<string> Configured(IServiceProvider services) =>
        [.. services.GetServices<IChatFrontEnd>().Select(f => f.Name)];
}
