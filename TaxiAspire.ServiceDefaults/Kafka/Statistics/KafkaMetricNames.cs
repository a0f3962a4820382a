namespace TaxiAspire.ServiceDefaults.Kafka.Statistics;

/// <summary>Names of the Kafka client instruments (OpenTelemetry style, OpenTelemetry units) and their own attributes.</summary>
public static class KafkaMetricNames
{
    public const string NetworkIo = "messaging.kafka.network.io";
    public const string RequestsSent = "messaging.kafka.requests.sent";
    public const string ResponsesReceived = "messaging.kafka.responses.received";
    public const string Messages = "messaging.kafka.messages";
    public const string MessagesIo = "messaging.kafka.messages.io";
    public const string ReplyQueueOperations = "messaging.kafka.reply_queue.operations";
    public const string ProducerQueueMessages = "messaging.kafka.producer.queue.messages";
    public const string ProducerQueueSize = "messaging.kafka.producer.queue.size";
    public const string ConsumerLag = "messaging.kafka.consumer.lag";

    /// <summary>librdkafka's handle name ("rdkafka#consumer-2"): tells apart clients that share a client.id.</summary>
    public const string ClientName = "messaging.kafka.client.name";

    /// <summary>"producer" or "consumer".</summary>
    public const string ClientType = "messaging.kafka.client.type";

    public const string NetworkIoDirection = "network.io.direction";
    public const string Transmit = "transmit";
    public const string Receive = "receive";
}
