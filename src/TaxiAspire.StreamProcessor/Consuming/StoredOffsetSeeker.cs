using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// The rebalance side of exactly-once: on assignment, start each partition at the offset stored in PostgreSQL (not
/// Kafka's committed offset), but only in the log those offsets were read from. A recreated log (a new local cluster,
/// a topic deleted and made again) reuses the same offsets for other messages, and may already have grown past the
/// stored offset by the time the partition is assigned, so offsets alone cannot tell. Two checks, before any message
/// of the partition enters a batch: the log must reach the stored offset, and the message just before it (read again)
/// must have the fingerprint stored with the offset. Either failing starts a new log epoch at the log's start. On
/// revocation, forget the partition so its buffered messages are dropped. With PostgreSQL away, an assignment waits for
/// it (<see cref="DatabaseRetry"/>): reading cannot start anywhere but at the stored offsets.
/// </summary>
internal sealed partial class StoredOffsetSeeker(
    ConsumerProgressStore progressStore,
    PartitionEpochs epochs,
    IOptions<StreamProcessorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<StoredOffsetSeeker> logger)
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline _databaseRetry = DatabaseRetry.Create(args =>
    {
        LogDatabaseRetry(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
        return ValueTask.CompletedTask;
    });

    public IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(partitions);
        var group = options.Value.ConsumerGroup;

        // Rebalance callbacks are synchronous and run on the consume thread; blocking here is what Kafka expects.
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var topicGroup in partitions.GroupBy(p => p.Topic))
        {
            var stored = WithDatabase(ct => progressStore.LoadAsync(group, topicGroup.Key, topicGroup.Select(p => p.Partition.Value), ct));
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
            var stale = stored;
            stored = WithDatabase(ct => progressStore.StartNewEpochAsync(group, stale, watermarks.Low.Value, ct));
        }

        // Progress stored before fingerprints existed, a fresh epoch, or a last message already removed by retention:
        // nothing to read again, so the offset check above is all there is.
        if (stored.LastMessageFingerprint is null || stored.NextOffset == 0 || stored.NextOffset - 1 < watermarks.Low.Value)
        {
            epochs.Assign(tp.Partition.Value, stored.LogEpoch);
            return new TopicPartitionOffset(tp, new Offset(stored.NextOffset));
        }

        epochs.AssignUnverified(stored);
        return new TopicPartitionOffset(tp, new Offset(stored.NextOffset - 1));
    }

    /// <summary>
    /// Whether a consumed message may enter a batch. The first message of a partition assigned unverified must be the
    /// last one stored, with the stored fingerprint: then it is dropped (it is stored already) and reading goes on.
    /// Anything else means the log was recreated: a new log epoch starts at the log's beginning, and the consumer
    /// seeks there. Runs on the consume thread, before the batch builder sees the message.
    /// </summary>
    public bool Admit(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> result)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(result);
        if (!epochs.AnyUnverified || !epochs.TryTakeUnverified(result.Partition.Value, out var stored))
        {
            return true;
        }

        if (result.Offset.Value == stored.NextOffset - 1 && MessageFingerprint.Of(result.Message) == stored.LastMessageFingerprint)
        {
            return false;
        }

        LogLogReplaced(logger, result.Topic, result.Partition.Value, stored.NextOffset - 1, result.Offset.Value);
        var watermarks = consumer.QueryWatermarkOffsets(result.TopicPartition, WatermarkTimeout);
        var renewed = WithDatabase(ct => progressStore.StartNewEpochAsync(options.Value.ConsumerGroup, stored, watermarks.Low.Value, ct));
        epochs.Assign(result.Partition.Value, renewed.LogEpoch);
        // Seeking discards what the consumer fetched of this partition beyond this message.
        consumer.Seek(new TopicPartitionOffset(result.TopicPartition, new Offset(renewed.NextOffset)));
        return false;
    }

    // Runs on the consume thread, inside a rebalance callback, which must block; stopping the service ends the wait.
    private T WithDatabase<T>(Func<CancellationToken, Task<T>> call) =>
        _databaseRetry.ExecuteAsync(async ct => await call(ct), lifetime.ApplicationStopping).AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL unavailable while starting partitions at their stored offsets; retry {Attempt} in {Delay}. Nothing is read until it answers")]
    private static partial void LogDatabaseRetry(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned partitions (partition@start offset): {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked partitions: {Partitions}")]
    private static partial void LogRevoked(ILogger logger, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: stored offset {Stored} lies beyond the log's end {High}; the log was recreated, so reading restarts at its beginning under a new log epoch")]
    private static partial void LogLogRecreated(ILogger logger, string topic, int partition, long stored, long high);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: the message at offset {Expected} is not the one stored there (read offset {Found}); the log was recreated, so reading restarts at its beginning under a new log epoch")]
    private static partial void LogLogReplaced(ILogger logger, string topic, int partition, long expected, long found);
}
