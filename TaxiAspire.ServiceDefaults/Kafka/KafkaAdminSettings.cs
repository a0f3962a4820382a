using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// Options (named after the connection) of an admin client registered by <c>AddKafkaAdminClient</c>:
/// <c>ConnectionStrings:{connectionName}</c> gives the bootstrap servers, <c>Kafka:Config</c> and
/// <c>Kafka:Admin:Config</c> the librdkafka properties.
/// </summary>
public sealed class KafkaAdminSettings : KafkaClientSettings
{
    public const string SectionName = "Kafka:Admin";

    public AdminClientConfig Config { get; } = new();

    internal override ClientConfig ClientConfig => Config;
}
