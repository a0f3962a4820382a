using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TaxiAspire.ServiceDefaults.Lifetime;

internal static class ServiceLifetimeServiceCollectionExtensions
{
    /// <summary>A bounded stop (host timeout, telemetry flush) and, under an AppHost, stopping when it is gone.</summary>
    public static IServiceCollection AddServiceLifetime(this IServiceCollection services)
    {
        services.AddOptions<ServiceLifetimeOptions>()
            .BindConfiguration(ServiceLifetimeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ServiceLifetimeOptions>>((host, lifetime) =>
            {
                host.ShutdownTimeout = lifetime.Value.ShutdownTimeout;
                // Side by side, each within the whole budget: one after another, a worker stuck on a dead broker
                // used up the budget before the next was even told to stop (the processor's batch drain never ran).
                host.ServicesStopConcurrently = true;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<TelemetryShutdown>();
        services.AddHostedService<AppHostWatchdog>();
        return services;
    }
}
