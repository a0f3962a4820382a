using System.Text.Json.Serialization;

namespace TaxiAspire.ServiceDefaults.Kafka.Statistics;

/// <summary>
/// The part of librdkafka's statistics JSON (STATISTICS.md, emitted every <c>statistics.interval.ms</c>) that the
/// client metrics publish. Counters are totals since the client started.
/// </summary>
internal sealed record KafkaStatistics
{
    /// <summary>The handle name, unique within the process, e.g. "rdkafka#producer-1".</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("client_id")]
    public string ClientId { get; init; } = "";

    /// <summary>"producer" or "consumer".</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>Operations (callbacks, events) waiting for the application to poll.</summary>
    [JsonPropertyName("replyq")]
    public long ReplyQueue { get; init; }

    /// <summary>Messages in the producer's queues.</summary>
    [JsonPropertyName("msg_cnt")]
    public long MessageCount { get; init; }

    /// <summary>Bytes of messages in the producer's queues.</summary>
    [JsonPropertyName("msg_size")]
    public long MessageSize { get; init; }

    /// <summary>Requests sent to brokers.</summary>
    [JsonPropertyName("tx")]
    public long Requests { get; init; }

    [JsonPropertyName("tx_bytes")]
    public long TransmittedBytes { get; init; }

    /// <summary>Responses received from brokers.</summary>
    [JsonPropertyName("rx")]
    public long Responses { get; init; }

    [JsonPropertyName("rx_bytes")]
    public long ReceivedBytes { get; init; }

    [JsonPropertyName("txmsgs")]
    public long TransmittedMessages { get; init; }

    [JsonPropertyName("txmsg_bytes")]
    public long TransmittedMessageBytes { get; init; }

    [JsonPropertyName("rxmsgs")]
    public long ReceivedMessages { get; init; }

    [JsonPropertyName("rxmsg_bytes")]
    public long ReceivedMessageBytes { get; init; }

    [JsonPropertyName("topics")]
    public Dictionary<string, KafkaTopicStatistics>? Topics { get; init; }
}

internal sealed record KafkaTopicStatistics
{
    [JsonPropertyName("topic")]
    public string Topic { get; init; } = "";

    /// <summary>Keyed by partition id; "-1" is librdkafka's internal unassigned-partition queue.</summary>
    [JsonPropertyName("partitions")]
    public Dictionary<string, KafkaPartitionStatistics>? Partitions { get; init; }
}

internal sealed record KafkaPartitionStatistics
{
    [JsonPropertyName("partition")]
    public int Partition { get; init; } = -1;

    /// <summary>High watermark minus the consumer's position; -1 when unknown (not assigned, not yet fetched).</summary>
    [JsonPropertyName("consumer_lag")]
    public long ConsumerLag { get; init; } = -1;
}
