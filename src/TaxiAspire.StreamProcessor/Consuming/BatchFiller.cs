using Confluent.Kafka;

namespace TaxiAspire.StreamProcessor.Consuming;

/// <summary>
/// Fills one micro-batch on the consume thread. A batch closes when it is full, or as soon as the consumer has caught
/// up with what the broker has sent (nothing more is waiting in the client's queue), whichever comes first: at a
/// trickle a trip is committed moments after it arrives; under a backlog the queue never runs dry, so batches grow to
/// <see cref="StreamProcessorOptions.MaxBatchSize"/>. While the write lanes are busy, messages pile up in the queue and
/// the next batch is larger: the batch size follows the load. <see cref="StreamProcessorOptions.MaxBatchDelay"/> only
/// bounds a batch whose queue keeps refilling without ever reaching the size.
/// </summary>
internal sealed partial class BatchFiller(
    IConsumer<byte[]?, byte[]?> consumer,
    StoredOffsetSeeker seeker,
    TimeProvider timeProvider,
    ILogger<BatchFiller> logger)
{
    // Consume() cannot be cancelled, so an idle consumer never waits longer than this: stopping is noticed promptly.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    public List<ConsumeResult<byte[]?, byte[]?>> Fill(StreamProcessorOptions settings, CancellationToken stoppingToken)
    {
        var messages = new List<ConsumeResult<byte[]?, byte[]?>>(Math.Min(settings.MaxBatchSize, 1024));
        long? firstAt = null;
        while (messages.Count < settings.MaxBatchSize && !stoppingToken.IsCancellationRequested)
        {
            // Until the first message, wait for one; after it, only take what is already here.
            var wait = firstAt is null ? IdlePoll : TimeSpan.Zero;
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(wait);
            }
            catch (ConsumeException ex)
            {
                // A broker error on one fetch; the next Consume retries. Poison payloads are not errors here: the
                // consumer deserializes nothing, so bad bytes reach the validator and the dead-letter topic.
                LogConsumeError(logger, ex.Error.Reason, ex);
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is KafkaException && stoppingToken.IsCancellationRequested))
            {
                // Stopping: an assignment that was waiting for PostgreSQL gave up (StoredOffsetSeeker), or the brokers
                // are already gone (local mode after Ctrl+C) and librdkafka cannot unassign the partitions it has just
                // revoked. Nothing more is read; the batch in hand is still committed.
                LogConsumeEndedByStop(logger, ex.Message);
                break;
            }

            if (result is null || result.IsPartitionEOF)
            {
                if (firstAt is not null) break; // caught up: commit what we have now
                continue;
            }

            if (!seeker.Admit(consumer, result)) continue;

            firstAt ??= timeProvider.GetTimestamp();
            messages.Add(result);
            if (timeProvider.GetElapsedTime(firstAt.Value) >= settings.MaxBatchDelay) break;
        }

        return messages;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming ended while stopping: {Reason}")]
    private static partial void LogConsumeEndedByStop(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consume error: {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string reason, Exception exception);
}
