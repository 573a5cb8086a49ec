using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Chat;
using NewsBot.Discord.Commands;
using NewsBot.Discord.FrontEnd;
using NewsBot.Discord.Gateway;
using NewsBot.Discord.Interactions;
using NewsBot.Discord.Messages;
using NewsBot.Discord.Rest;

namespace NewsBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Discord front end. Options are always bound and validated at start-up; the
    /// Gateway front end (and, when enabled, the HTTP interactions endpoint) run only when
    /// Discord:Token is set (see <see cref="DiscordOptions.IsConfigured"/>). Needs an
    /// <see cref="NewsBot.Chat.INewsBotEngine"/> registration from the host.
    /// </summary>
    public static IServiceCollection AddDiscordFrontEnd(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>().Bind(configuration.GetSection(DiscordOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.AddFrontEndLifetimeOptions(configuration);
        services.AddEventClaimsOptions(configuration);
        if (!DiscordOptions.IsConfigured(configuration))
            return services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<DiscordIdentity>();
        services.TryAddSingleton<DiscordRestClient>();
        services.TryAddSingleton<GatewayClient>();
        services.AddEventClaims(configuration);
        services.TryAddSingleton(sp => new QuestionRateLimiter(sp.GetRequiredService<IOptions<DiscordOptions>>().Value.QuestionLimits.ToSettings(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AdminPolicy>();
        services.TryAddSingleton<MessageHandler>();
        services.TryAddSingleton<InteractionHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatFrontEnd, DiscordFrontEnd>());
        services.AddChatFrontEndRunner();

        if (configuration.GetValue<bool>($"{DiscordOptions.SectionName}:{nameof(DiscordOptions.InteractionsEndpoint)}:{nameof(DiscordInteractionsEndpointOptions.Enabled)}"))
        {
            services.TryAddSingleton<InteractionsEndpoint>();
            services.AddHostedService(sp => sp.GetRequiredService<InteractionsEndpoint>());
        }

        return services;
    }
}
