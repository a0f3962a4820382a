using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// The rebalance side of exactly-once: on assignment, start each partition at the offset stored in PostgreSQL (not
/// Kafka's committed offset); when the broker's log no longer reaches that offset (the log was recreated), begin a
/// new log epoch at the log's start. On revocation, forget the partition so its buffered messages are dropped.
/// </summary>
internal sealed partial class StoredOffsetSeeker(
    ConsumerProgressStore progressStore,
    PartitionEpochs epochs,
    IOptions<StreamProcessorOptions> options,
    ILogger<StoredOffsetSeeker> logger)
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(10);

    public IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partitions);
        var group = options.Value.ConsumerGroup;

        // Rebalance callbacks are synchronous and run on the consume thread; blocking here is what Kafka expects.
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var topicGroup in partitions.GroupBy(p => p.Topic))
        {
            var stored = progressStore.LoadAsync(group, topicGroup.Key, topicGroup.Select(p => p.Partition.Value), CancellationToken.None)
                .GetAwaiter().GetResult();
            foreach (var tp in topicGroup)
            {
                result.Add(StartingPoint(consumer, group, tp, stored.GetValueOrDefault(tp.Partition.Value)));
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var assigned = string.Join(",", result.Select(r => $"{r.Partition.Value}@{r.Offset}"));
            LogAssigned(logger, assigned);
        }

        return result;
    }

    public void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        foreach (var tp in partitions)
        {
            epochs.Revoke(tp.Partition.Value);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var revoked = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogRevoked(logger, revoked);
        }
    }

    private TopicPartitionOffset StartingPoint(IConsumer<byte[]?, byte[]?> consumer, string group, TopicPartition tp, PartitionProgress? stored)
    {
        if (stored is null)
        {
            epochs.Assign(tp.Partition.Value, 0);
            return new TopicPartitionOffset(tp, Offset.Beginning);
        }

        var watermarks = consumer.QueryWatermarkOffsets(tp, WatermarkTimeout);
        if (stored.NextOffset > watermarks.High.Value)
        {
            LogLogRecreated(logger, tp.Topic, tp.Partition.Value, stored.NextOffset, watermarks.High.Value);
            stored = progressStore.StartNewEpochAsync(group, stored, watermarks.Low.Value, CancellationToken.None).GetAwaiter().GetResult();
        }

        epochs.Assign(tp.Partition.Value, stored.LogEpoch);
        return new TopicPartitionOffset(tp, new Offset(stored.NextOffset));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned partitions (partition@start offset): {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked partitions: {Partitions}")]
    private static partial void LogRevoked(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: stored offset {Stored} lies beyond the log's end {High}; the log was recreated, so reading restarts at its beginning under a new log epoch")]
    private static partial void LogLogRecreated(ILogger logger, string topic, int partition, long stored, long high);
}
