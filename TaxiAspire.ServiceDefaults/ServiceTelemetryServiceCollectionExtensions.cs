using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TaxiAspire.ServiceDefaults;

internal static class ServiceTelemetryServiceCollectionExtensions
{
    /// <summary>Idempotent: both AddServiceDefaults and the Kafka client registrations need it.</summary>
    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ServiceTelemetry>();
        return services;
    }
}
