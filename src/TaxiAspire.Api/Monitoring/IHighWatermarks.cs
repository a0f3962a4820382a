using Confluent.Kafka;

namespace TaxiAspire.Api.Monitoring;

/// <summary>The broker's high watermark (the offset the next message will get) per partition.</summary>
public interface IHighWatermarks
{
    /// <summary>Null when the broker cannot be asked (not configured, unreachable).</summary>
    long? HighWatermark(string topic, int partition);
}

/// <summary>Used when the API has no Kafka connection: lag is then reported as unknown, never guessed.</summary>
internal sealed class NoHighWatermarks : IHighWatermarks
{
    public long? HighWatermark(string topic, int partition) => null;
}

/// <summary>
/// Asks the broker through a consumer that never subscribes or commits: it only reads metadata, so it joins no
/// group and cannot disturb the processor's assignment.
/// </summary>
internal sealed partial class KafkaHighWatermarks(IConsumer<byte[]?, byte[]?> consumer, ILogger<KafkaHighWatermarks> logger) : IHighWatermarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public long? HighWatermark(string topic, int partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout).High.Value;
        }
        catch (KafkaException ex)
        {
            LogWatermarkFailed(logger, topic, partition, ex.Error.Reason);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No high watermark for {Topic}[{Partition}]: {Reason}")]
    private static partial void LogWatermarkFailed(ILogger logger, string topic, int partition, string reason);
}
