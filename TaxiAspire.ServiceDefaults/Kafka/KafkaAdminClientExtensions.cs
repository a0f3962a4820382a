using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers a Kafka admin client with the connection's settings (security included), logging and a health check.</summary>
public static class KafkaAdminClientExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IAdminClient"/> for the Kafka cluster named <paramref name="connectionName"/>
    /// (bootstrap servers from <c>ConnectionStrings:{connectionName}</c>, librdkafka properties from <c>Kafka:Config</c>
    /// and <c>Kafka:Admin:Config</c>), validated when the host starts.
    /// </summary>
    public static void AddKafkaAdminClient(this IHostApplicationBuilder builder, string connectionName, Action<AdminClientConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        KafkaClientRegistration.AddSettings<KafkaAdminSettings>(
            builder, connectionName, KafkaAdminSettings.SectionName,
            configureConfig is null ? null : settings => configureConfig(settings.Config));
        KafkaClientRegistration.AddHealthCheck<KafkaAdminSettings>(builder, connectionName);
        builder.Services.AddSingleton(services =>
        {
            var settings = services.GetRequiredService<IOptionsMonitor<KafkaAdminSettings>>().Get(connectionName);
            var handlers = KafkaClientHandlers.Create(services, settings, consumerGroup: null);
            var admin = new AdminClientBuilder(settings.Config)
                .SetLogHandler(handlers.OnLog)
                .SetErrorHandler(handlers.OnError);
            return handlers.PublishesStatistics ? admin.SetStatisticsHandler(handlers.OnStatistics).Build() : admin.Build();
        });
    }
}
