using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// Options (named after the connection) of a consumer registered by <c>AddKafkaConsumer</c>:
/// <c>ConnectionStrings:{connectionName}</c> gives the bootstrap servers, <c>Kafka:Consumer:Config</c> the librdkafka
/// properties, by their librdkafka names (<c>group.id</c>) or their <see cref="ConsumerConfig"/> names (<c>GroupId</c>).
/// </summary>
public sealed class KafkaConsumerSettings : KafkaClientSettings
{
    public const string SectionName = "Kafka:Consumer";

    public ConsumerConfig Config { get; } = new();

    internal override ClientConfig ClientConfig => Config;
}
