using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>Reads a connection's settings from configuration, the way Aspire's Kafka client integration lays them out.</summary>
internal static class KafkaSettingsBinder
{
    /// <summary>
    /// The cluster's connection-level properties (security.protocol, sasl.*, ssl.*), shared by every client kind:
    /// producers, consumers and admin clients of one service authenticate the same way.
    /// </summary>
    public const string SharedConfigSectionName = "Kafka:Config";

    private const string ConfigSectionName = "Config";

    public static void Bind(IConfiguration configuration, string sectionName, string connectionName, KafkaClientSettings settings)
    {
        var config = settings.ClientConfig;

        // The cluster's connection properties first, then the client kind's section, then the connection's own section,
        // so the more specific can override the more general.
        BindConfig(configuration.GetSection(SharedConfigSectionName), config);
        BindSection(configuration.GetSection(sectionName), settings, config);
        BindSection(configuration.GetSection($"{sectionName}:{connectionName}"), settings, config);

        // The AppHost hands out "host:port" as the connection string; it wins over any bootstrap.servers in Config.
        if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            config.BootstrapServers = connectionString;
        }

        if (!settings.DisableMetrics && config.StatisticsIntervalMs is null)
        {
            config.StatisticsIntervalMs = (int)KafkaClientSettings.DefaultStatisticsInterval.TotalMilliseconds;
        }
    }

    private static void BindSection(IConfigurationSection section, KafkaClientSettings settings, ClientConfig config)
    {
        if (!section.Exists())
        {
            return;
        }

        settings.DisableHealthChecks = section.GetValue(nameof(KafkaClientSettings.DisableHealthChecks), settings.DisableHealthChecks);
        settings.DisableTracing = section.GetValue(nameof(KafkaClientSettings.DisableTracing), settings.DisableTracing);
        settings.DisableMetrics = section.GetValue(nameof(KafkaClientSettings.DisableMetrics), settings.DisableMetrics);
        settings.HealthCheckTimeout = section.GetValue(nameof(KafkaClientSettings.HealthCheckTimeout), settings.HealthCheckTimeout);

        BindConfig(section.GetSection(ConfigSectionName), config);
    }

    private static void BindConfig(IConfigurationSection configSection, ClientConfig config)
    {
        if (!configSection.Exists())
        {
            return;
        }

        // Typed names (LingerMs) through the binder; it cannot bind the config onto the settings object itself,
        // because ClientConfig is an IEnumerable<KeyValuePair<string, string>> (dotnet/runtime#96652).
        configSection.Bind(config);

        // librdkafka names (linger.ms) as they are: every librdkafka property has a dot, no typed name has one.
        foreach (var property in configSection.GetChildren())
        {
            if (property.Key.Contains('.', StringComparison.Ordinal) && property.Value is not null)
            {
                config.Set(property.Key, property.Value);
            }
        }
    }
}
