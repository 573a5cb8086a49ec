using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NewsBot.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>FrontEnds</c> settings (how a crashed front end is restarted, how long a stopping one
    /// drains). Each front end's AddXFrontEnd calls it whether or not that front end is configured, as it binds its own
    /// options; binding once.
    /// </summary>
    public static IServiceCollection AddFrontEndLifetimeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<FrontEndLifetimeOptions>)))
            return services;
        services.AddOptions<FrontEndLifetimeOptions>().Bind(configuration.GetSection(FrontEndLifetimeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FrontEndLifetimeOptions>, FrontEndLifetimeOptionsValidator>();
        return services;
    }

    /// <summary>
    /// One <see cref="ChatFrontEndService"/> for every registered <see cref="IChatFrontEnd"/>, however many front ends
    /// register themselves, also serving as the <see cref="IFrontEndHealth"/> a health endpoint reads.
    /// </summary>
    public static IServiceCollection AddChatFrontEndRunner(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatFrontEndService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChatFrontEndService>(sp => sp.GetRequiredService<ChatFrontEndService>()));
        services.TryAddSingleton<IFrontEndHealth>(sp => sp.GetRequiredService<ChatFrontEndService>());
        return services;
    }

    /// <summary>
    /// Binds and validates the <c>FrontEnds:Claims</c> settings (how long a claim on a chat event holds). Each front end's
    /// AddXFrontEnd calls it whether or not that front end is configured, as it binds its own options; binding once.
    /// </summary>
    public static IServiceCollection AddEventClaimsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<EventClaimsOptions>)))
            return services;
        services.AddOptions<EventClaimsOptions>().Bind(configuration.GetSection(EventClaimsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventClaimsOptions>, EventClaimsOptionsValidator>();
        return services;
    }

    /// <summary>
    /// The <see cref="EventClaimGate"/> a front end asks before answering an event, over the <see cref="IEventClaims"/>
    /// an index store registered to share between processes, or claims kept in memory when none did.
    /// </summary>
    public static IServiceCollection AddEventClaims(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEventClaimsOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventClaims>(sp => new InMemoryEventClaims(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<EventClaimsOptions>>().Value));
        services.TryAddSingleton<EventClaimGate>();
        return services;
    }
}
