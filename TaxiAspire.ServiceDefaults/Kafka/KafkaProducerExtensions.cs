using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Kafka;
using TaxiAspire.ServiceDefaults.Kafka.Tracing;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers Kafka producers with logging, metrics, tracing and a health check (what Aspire.Confluent.Kafka does).</summary>
public static class KafkaProducerExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IProducer{TKey,TValue}"/> for the Kafka cluster named <paramref name="connectionName"/>
    /// (bootstrap servers from <c>ConnectionStrings:{connectionName}</c>, librdkafka properties from
    /// <c>Kafka:Producer:Config</c> and <c>Kafka:Producer:{connectionName}:Config</c>).
    /// </summary>
    /// <param name="builder">The application builder whose configuration and services are used.</param>
    /// <param name="connectionName">The connection string name; also the options name and the health check's suffix.</param>
    /// <param name="configure">Sets serializers, a partitioner or handlers of the caller's own.</param>
    /// <param name="configureConfig">Adjusts the bound configuration (applied before validation).</param>
    public static void AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ProducerBuilder<TKey, TValue>>? configure = null,
        Action<ProducerConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddProducer(builder, connectionName, configureConfig);
        builder.Services.AddSingleton(services => CreateProducer(services, connectionName, configure));
    }

    /// <summary>As <see cref="AddKafkaProducer{TKey,TValue}"/>, as a keyed singleton whose key is <paramref name="connectionName"/>.</summary>
    public static void AddKeyedKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ProducerBuilder<TKey, TValue>>? configure = null,
        Action<ProducerConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddProducer(builder, connectionName, configureConfig);
        builder.Services.AddKeyedSingleton(connectionName, (services, _) => CreateProducer(services, connectionName, configure));
    }

    private static void AddProducer(IHostApplicationBuilder builder, string connectionName, Action<ProducerConfig>? configureConfig)
    {
        KafkaClientRegistration.AddSettings<KafkaProducerSettings>(
            builder, connectionName, KafkaProducerSettings.SectionName,
            configureConfig is null ? null : settings => configureConfig(settings.Config));
        KafkaClientRegistration.AddHealthCheck<KafkaProducerSettings>(builder, connectionName);
    }

    private static IProducer<TKey, TValue> CreateProducer<TKey, TValue>(
        IServiceProvider services, string connectionName, Action<ProducerBuilder<TKey, TValue>>? configure)
    {
        var settings = services.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get(connectionName);

        var builder = new InstrumentedProducerBuilder<TKey, TValue>(settings.Config);
        configure?.Invoke(builder);
        var producer = builder.Build(KafkaClientHandlers.Create(services, settings, consumerGroup: null));

        return settings.DisableTracing
            ? producer
            : new TracingProducer<TKey, TValue>(
                producer,
                services.GetRequiredService<ServiceTelemetry>().ActivitySource,
                deliveryReportsEnabled: settings.Config.EnableDeliveryReports ?? true);
    }
}
