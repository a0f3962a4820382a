using System.Diagnostics;
using Confluent.Kafka;
using Polly;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Kafka.Tracing;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;

namespace TaxiAspire.StreamProcessor.Committing;

/// <summary>
/// The write stage of the micro-batch loop: dead-letter the rejects while the batch and its next offsets are written in
/// one transaction (retried with backoff until PostgreSQL answers; it commits only once the dead letters are delivered),
/// then commit the offsets to Kafka too, only so lag tools see progress. A retried write is harmless: the transaction
/// is idempotent (see <see cref="TripBatchWriter"/>).
/// </summary>
internal sealed partial class BatchCommitter
{
    // Bounds the links on one batch span; sampling was decided at the producer, so only sampled contexts are linked.
    private const int MaxLinksPerBatch = 64;

    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly TripBatchWriter _writer;
    private readonly ServiceTelemetry _telemetry;
    private readonly StreamProcessorMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BatchCommitter> _logger;
    private readonly ResiliencePipeline _databaseRetry;

    public BatchCommitter(
        IConsumer<byte[]?, byte[]?> consumer,
        DeadLetterPublisher deadLetters,
        TripBatchWriter writer,
        ServiceTelemetry telemetry,
        StreamProcessorMetrics metrics,
        TimeProvider timeProvider,
        ILogger<BatchCommitter> logger)
    {
        _consumer = consumer;
        _deadLetters = deadLetters;
        _writer = writer;
        _telemetry = telemetry;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _databaseRetry = DatabaseRetry.Create(args =>
        {
            _metrics.DatabaseRetry();
            LogDatabaseRetry(_logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
            return ValueTask.CompletedTask;
        });
    }

    public async Task CommitAsync(StreamProcessorOptions settings, BuiltBatch built, CancellationToken cancellationToken)
    {
        var messages = built.Messages;
        using var batchSpan = _telemetry.ActivitySource.StartProcessBatchActivity(settings.Topic, messages.Count, SampledProducerLinks(messages), settings.ConsumerGroup);
        TraceSampledTrips(messages, settings.ConsumerGroup);

        // The dead letters are delivered while the batch is written; the transaction commits only after delivery.
        var deadLettered = _deadLetters.PublishAsync(settings.DeadLetterTopic, built.DeadLetters, cancellationToken);
        var result = await _databaseRetry.ExecuteAsync(
            static (state, ct) => new ValueTask<BatchWriteResult>(state.Writer.WriteAsync(state.Batch, state.DeadLettered, ct)),
            (Writer: _writer, built.Batch, DeadLettered: deadLettered),
            cancellationToken);
        LogBatchCommitted(_logger, messages.Count, result.TripsInserted, result.TripsAlreadyStored, result.RejectsInserted, result.WindowsClosed);
        batchSpan?.SetTag("taxi.trips.inserted", result.TripsInserted);
        CommitToKafka(built.Batch);
        RecordMetrics(built, result);
    }

    private static List<ActivityLink>? SampledProducerLinks(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages)
    {
        List<ActivityLink>? links = null;
        foreach (var message in messages)
        {
            if (KafkaTraceContext.TryExtract(message.Message.Headers, out var context) && context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
            {
                (links ??= []).Add(new ActivityLink(context));
                if (links.Count == MaxLinksPerBatch) break;
            }
        }

        return links;
    }

    // A short child span per sampled trip, so one trip can be followed from its producer's send span. Unsampled
    // producer contexts are skipped before a span object exists.
    private void TraceSampledTrips(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> messages, string consumerGroup)
    {
        if (!_telemetry.ActivitySource.HasListeners()) return;
        foreach (var message in messages)
        {
            if (KafkaTraceContext.TryExtract(message.Message.Headers, out var context) && context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
            {
                using var span = _telemetry.ActivitySource.StartProcessActivity(message, consumerGroup);
            }
        }
    }

    private void RecordMetrics(BuiltBatch built, BatchWriteResult result)
    {
        _metrics.BatchCommitted(built.Messages.Count, result.TripsInserted, result.TripsAlreadyStored, result.WindowsClosed);
        foreach (var deadLetter in built.DeadLetters)
        {
            _metrics.Rejected(deadLetter.Rejection.Code);
        }

        var committedAt = _timeProvider.GetUtcNow();
        foreach (var message in built.Messages)
        {
            if (message.Message.Timestamp.Type != TimestampType.NotAvailable)
            {
                _metrics.EndToEnd(committedAt - message.Message.Timestamp.UtcDateTime);
            }
        }
    }

    // Only for lag monitoring: PostgreSQL holds the offsets that count. The offsets are stored (after the database
    // commit) and librdkafka's background auto-commit sends them: a synchronous Commit here would block until a
    // pending rebalance completes, and the rebalance cannot complete while this stage holds up the consume loop.
    private void CommitToKafka(TripBatch batch)
    {
        foreach (var progress in batch.Progress)
        {
            try
            {
                _consumer.StoreOffset(new TopicPartitionOffset(progress.Topic, progress.Partition, progress.NextOffset));
            }
            catch (KafkaException ex)
            {
                LogKafkaCommitFailed(_logger, ex.Error.Reason); // e.g. the partition was revoked meanwhile
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch of {Messages} committed: {Inserted} trips stored, {Duplicates} already stored, {Rejects} rejected, {Closed} windows closed")]
    private static partial void LogBatchCommitted(ILogger logger, int messages, int inserted, int duplicates, int rejects, int closed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL unavailable; retry {Attempt} of the batch in {Delay}. Consumption pauses once the in-flight batches are full")]
    private static partial void LogDatabaseRetry(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storing an offset for Kafka failed ({Reason}); PostgreSQL holds the real progress")]
    private static partial void LogKafkaCommitFailed(ILogger logger, string reason);
}
