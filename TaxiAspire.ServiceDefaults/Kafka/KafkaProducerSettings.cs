using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// Options (named after the connection) of a producer registered by <c>AddKafkaProducer</c>:
/// <c>ConnectionStrings:{connectionName}</c> gives the bootstrap servers, <c>Kafka:Producer:Config</c> the librdkafka
/// properties, by their librdkafka names (<c>linger.ms</c>) or their <see cref="ProducerConfig"/> names (<c>LingerMs</c>).
/// </summary>
public sealed class KafkaProducerSettings : KafkaClientSettings
{
    public const string SectionName = "Kafka:Producer";

    public ProducerConfig Config { get; } = new();

    internal override ClientConfig ClientConfig => Config;
}
