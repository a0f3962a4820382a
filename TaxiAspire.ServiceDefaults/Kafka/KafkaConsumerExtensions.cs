using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers Kafka consumers with logging, metrics (consumer lag included) and a health check. Consumer spans are the
/// service's to start (see <c>KafkaActivitySourceExtensions</c>): only it knows what "processing" a message means.
/// </summary>
public static class KafkaConsumerExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IConsumer{TKey,TValue}"/> for the Kafka cluster named <paramref name="connectionName"/>
    /// (bootstrap servers from <c>ConnectionStrings:{connectionName}</c>, librdkafka properties from
    /// <c>Kafka:Consumer:Config</c> and <c>Kafka:Consumer:{connectionName}:Config</c>; a group id is required).
    /// </summary>
    /// <param name="builder">The application builder whose configuration and services are used.</param>
    /// <param name="connectionName">The connection string name; also the options name and the health check's suffix.</param>
    /// <param name="configure">Sets deserializers, rebalance or commit handlers, or handlers of the caller's own.</param>
    /// <param name="configureConfig">Adjusts the bound configuration (applied before validation).</param>
    public static void AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ConsumerBuilder<TKey, TValue>>? configure = null,
        Action<ConsumerConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddConsumer(builder, connectionName, configureConfig);
        builder.Services.AddSingleton(services => CreateConsumer<TKey, TValue>(services, connectionName, (_, b) => configure?.Invoke(b)));
    }

    /// <summary>
    /// As <see cref="AddKafkaConsumer{TKey,TValue}(IHostApplicationBuilder, string, Action{ConsumerBuilder{TKey,TValue}}?, Action{ConsumerConfig}?)"/>,
    /// with a <paramref name="configure"/> callback that also receives the service provider, for handlers that need
    /// services (e.g. rebalance handlers that read stored offsets).
    /// </summary>
    public static void AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>> configure,
        Action<ConsumerConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        ArgumentNullException.ThrowIfNull(configure);

        AddConsumer(builder, connectionName, configureConfig);
        builder.Services.AddSingleton(services => CreateConsumer(services, connectionName, configure));
    }

    /// <summary>As <c>AddKafkaConsumer</c>, as a keyed singleton whose key is <paramref name="connectionName"/>.</summary>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<ConsumerBuilder<TKey, TValue>>? configure = null,
        Action<ConsumerConfig>? configureConfig = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddConsumer(builder, connectionName, configureConfig);
        builder.Services.AddKeyedSingleton(connectionName, (services, _) => CreateConsumer<TKey, TValue>(services, connectionName, (_, b) => configure?.Invoke(b)));
    }

    private static void AddConsumer(IHostApplicationBuilder builder, string connectionName, Action<ConsumerConfig>? configureConfig)
    {
        KafkaClientRegistration.AddSettings<KafkaConsumerSettings>(
            builder, connectionName, KafkaConsumerSettings.SectionName,
            configureConfig is null ? null : settings => configureConfig(settings.Config));
        KafkaClientRegistration.AddHealthCheck<KafkaConsumerSettings>(builder, connectionName);
    }

    private static IConsumer<TKey, TValue> CreateConsumer<TKey, TValue>(
        IServiceProvider services, string connectionName, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>> configure)
    {
        var settings = services.GetRequiredService<IOptionsMonitor<KafkaConsumerSettings>>().Get(connectionName);

        var builder = new InstrumentedConsumerBuilder<TKey, TValue>(settings.Config);
        configure(services, builder);
        return builder.Build(KafkaClientHandlers.Create(services, settings, settings.Config.GroupId));
    }
}
