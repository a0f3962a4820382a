namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>OpenTelemetry messaging attribute names and values used by the Kafka spans and metrics.</summary>
public static class KafkaSemanticConventions
{
    public const string MessagingSystem = "messaging.system";
    public const string MessagingSystemValue = "kafka";
    public const string ClientId = "messaging.client.id";
    public const string DestinationName = "messaging.destination.name";
    public const string PartitionId = "messaging.destination.partition.id";
    public const string Offset = "messaging.kafka.offset";
    public const string MessageKey = "messaging.kafka.message.key";
    public const string ConsumerGroupName = "messaging.consumer.group.name";
    public const string BatchMessageCount = "messaging.batch.message_count";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string ErrorType = "error.type";

    public const string SendOperation = "send";
    public const string ProcessOperation = "process";
}
