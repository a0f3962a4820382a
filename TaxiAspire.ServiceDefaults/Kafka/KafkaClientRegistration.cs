using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults.Kafka.Health;
using TaxiAspire.ServiceDefaults.Kafka.Statistics;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>What producer and consumer registrations share: settings, instrumentation services, the health check.</summary>
internal static class KafkaClientRegistration
{
    public static string HealthCheckName(string connectionName) => $"kafka-{connectionName}";

    /// <summary>Named options (the connection name), bound from configuration once, then the caller's adjustments.</summary>
    public static void AddSettings<TSettings>(IHostApplicationBuilder builder, string connectionName, string sectionName, Action<TSettings>? configure)
        where TSettings : KafkaClientSettings
    {
        var services = builder.Services;
        services.AddServiceTelemetry();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaStatisticsMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaProducerSettings>, KafkaSettingsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaConsumerSettings>, KafkaSettingsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaAdminSettings>, KafkaSettingsValidator>());

        var options = services.AddOptions<TSettings>(connectionName);

        // A second registration on the same connection must not re-bind over the first one's adjustments.
        if (builder.Properties.TryAdd((typeof(TSettings), connectionName), true))
        {
            options
                .Configure<IConfiguration>((settings, configuration) => KafkaSettingsBinder.Bind(configuration, sectionName, connectionName, settings))
                .ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    /// <summary>One health check per connection name, whichever client (producer or consumer) registers it first.</summary>
    public static void AddHealthCheck<TSettings>(IHostApplicationBuilder builder, string connectionName)
        where TSettings : KafkaClientSettings
    {
        if (!builder.Properties.TryAdd((typeof(KafkaHealthCheck), connectionName), true))
        {
            return;
        }

        builder.Services.AddHealthChecks();
        builder.Services.AddKeyedSingleton(connectionName, (services, _) =>
        {
            var settings = services.GetRequiredService<IOptionsMonitor<TSettings>>().Get(connectionName);
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(KafkaClientLog.CategoryName);
            return new KafkaHealthCheck(settings.ClientConfig, settings.HealthCheckTimeout, logger);
        });

        // Decided when the health check service starts, so DisableHealthChecks can come from any configuration source.
        builder.Services.AddOptions<HealthCheckServiceOptions>()
            .Configure<IOptionsMonitor<TSettings>>((healthChecks, monitor) =>
            {
                if (monitor.Get(connectionName).DisableHealthChecks)
                {
                    return;
                }

                healthChecks.Registrations.Add(new HealthCheckRegistration(
                    HealthCheckName(connectionName),
                    // The factory runs on every check: hand out the one instance, never a new admin client.
                    services => services.GetRequiredKeyedService<KafkaHealthCheck>(connectionName),
                    HealthStatus.Unhealthy,
                    [Microsoft.Extensions.Hosting.Extensions.ReadyTag]));
            });
    }
}
