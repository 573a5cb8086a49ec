using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Slack.Commands;
using NewsBot.Slack.Events;
using NewsBot.Slack.FrontEnd;
using NewsBot.Slack.HttpMode;
using NewsBot.Slack.SocketMode;
using NewsBot.Slack.WebApi;

namespace NewsBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Slack front end. Options are always bound and validated at start-up; the front end
    /// runs only when Slack:BotToken is set (see <see cref="SlackOptions.IsConfigured"/>), in Socket Mode,
    /// or in HTTP mode when Slack:HttpEndpoint:Enabled is true. Needs an <see cref="INewsBotEngine"/>
    /// registration from the host.
    /// </summary>
    public static IServiceCollection AddSlackFrontEnd(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.AddFrontEndLifetimeOptions(configuration);
        services.AddEventClaimsOptions(configuration);
        if (!SlackOptions.IsConfigured(configuration))
            return services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<SlackIdentity>();
        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<SlackInbox>();
        services.AddEventClaims(configuration);
        services.TryAddSingleton(sp => new QuestionRateLimiter(sp.GetRequiredService<IOptions<SlackOptions>>().Value.QuestionLimits.ToSettings(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AdminPolicy>();
        services.TryAddSingleton<SlackEventHandler>();
        services.TryAddSingleton<SlashCommandHandler>();
        services.TryAddSingleton<SocketModeClient>();
        services.TryAddSingleton<SlackHttpEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatFrontEnd, SlackFrontEnd>());
        services.AddChatFrontEndRunner();
        return services;
    }
}
