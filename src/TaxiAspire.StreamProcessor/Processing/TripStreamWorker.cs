using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using TaxiAspire.Data.Ingestion;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Kafka.Tracing;

namespace TaxiAspire.StreamProcessor.Processing;

/// <summary>
/// The micro-batch loop: consume until the batch is full or old enough, dead-letter the rejects, write everything with
/// the next offsets in one transaction (retried until PostgreSQL answers), then commit the offsets to Kafka too so lag
/// tools see progress. On shutdown the batch in hand is finished and committed.
/// </summary>
internal sealed partial class TripStreamWorker(
    IConsumer<byte[]?, byte[]?> consumer,
    BatchBuilder batchBuilder,
    DeadLetterPublisher deadLetters,
    TripBatchWriter writer,
    PartitionEpochs epochs,
    ServiceTelemetry telemetry,
    StreamProcessorMetrics metrics,
    IOptions<StreamProcessorOptions> options,
    TimeProvider timeProvider,
    ILogger<TripStreamWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);

    // Bounds the links on one batch span; sampling was decided at the producer, so only sampled contexts are linked.
    private const int MaxLinksPerBatch = 64;

    private readonly ResiliencePipeline _databaseRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(ex => ex.IsTransient || ex.InnerException is System.Net.Sockets.SocketException)
                .Handle<TimeoutException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = args =>
            {
                LogDatabaseRetry(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Consume() blocks; give the loop its own thread rather than a pool thread.
        Task.Factory.StartNew(() => RunAsync(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        consumer.Subscribe(settings.Topic);
        LogStarted(logger, settings.Topic, settings.ConsumerGroup);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var messages = FillBatch(settings, stoppingToken);
                if (messages.Count > 0)
                {
                    // Stopping does not interrupt a batch in hand: it is finished and committed first.
                    await ProcessAsync(settings, messages, CancellationToken.None);
                }
            }
        }
        finally
        {
            consumer.Close();
            LogStopped(logger);
        }
    }

    private List<ConsumeResult<byte[]?, byte[]?>> FillBatch(StreamProcessorOptions settings, CancellationToken stoppingToken)
    {
        var messages = new List<ConsumeResult<byte[]?, byte[]?>>();
        long? firstAt = null;
        while (messages.Count < settings.MaxBatchSize && !stoppingToken.IsCancellationRequested)
        {
            var wait = IdlePoll;
            if (firstAt is { } first)
            {
                wait = settings.MaxBatchDelay - timeProvider.GetElapsedTime(first);
                if (wait <= TimeSpan.Zero) break;
            }

            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = consumer.Consume(wait);
            }
            catch (ConsumeException ex)
            {
                LogConsumeError(logger, ex.Error.Reason, ex);
                continue;
            }

            if (result is null || result.IsPartitionEOF)
            {
                if (firstAt is null) continue;
                if (result is null) break;
                continue;
            }

            firstAt ??= timeProvider.GetTimestamp();
            messages.Add(result);
        }

        return messages;
    }

    private async Task ProcessAsync(StreamProcessorOptions settings, List<ConsumeResult<byte[]?, byte[]?>> messages, CancellationToken cancellationToken)
    {
        using var batchSpan = telemetry.ActivitySource.StartProcessBatchActivity(settings.Topic, messages.Count, SampledProducerLinks(messages), settings.ConsumerGroup);
        TraceSampledTrips(messages, settings.ConsumerGroup);

        var built = batchBuilder.Build(settings.ConsumerGroup, messages, epochs);
        await deadLetters.PublishAsync(settings.DeadLetterTopic, built.DeadLetters, cancellationToken);
        var result = await _databaseRetry.ExecuteAsync(ct => new ValueTask<BatchWriteResult>(writer.WriteAsync(built.Batch, ct)), cancellationToken);
        LogBatchCommitted(logger, messages.Count, result.TripsInserted, result.TripsAlreadyStored, result.RejectsInserted);
        CommitToKafka(built.Batch);
        RecordMetrics(messages, built, result);
    }

    private static List<ActivityLink>? SampledProducerLinks(List<ConsumeResult<byte[]?, byte[]?>> messages)
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

    // A short child span per sampled trip, so one trip can be followed from its producer's send span.
    private void TraceSampledTrips(List<ConsumeResult<byte[]?, byte[]?>> messages, string consumerGroup)
    {
        if (!telemetry.ActivitySource.HasListeners()) return;
        foreach (var message in messages)
        {
            using var span = telemetry.ActivitySource.StartProcessActivity(message, consumerGroup);
        }
    }

    private void RecordMetrics(List<ConsumeResult<byte[]?, byte[]?>> messages, BuiltBatch built, BatchWriteResult result)
    {
        metrics.BatchCommitted(messages.Count, result.TripsInserted, result.TripsAlreadyStored);
        foreach (var deadLetter in built.DeadLetters)
        {
            metrics.Rejected(deadLetter.Rejection.Code);
        }

        var committedAt = timeProvider.GetUtcNow();
        foreach (var message in messages)
        {
            if (message.Message.Timestamp.Type != TimestampType.NotAvailable)
            {
                metrics.EndToEnd(committedAt - message.Message.Timestamp.UtcDateTime);
            }
        }
    }

    // Only for lag monitoring: PostgreSQL holds the offsets that count.
    private void CommitToKafka(TripBatch batch)
    {
        if (batch.Progress.Count == 0) return;
        try
        {
            consumer.Commit(batch.Progress.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, p.NextOffset)));
        }
        catch (KafkaException ex)
        {
            LogKafkaCommitFailed(logger, ex.Error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Topic} as group {Group}")]
    private static partial void LogStarted(ILogger logger, string topic, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream processor stopped; consumer closed")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch of {Messages} committed: {Inserted} trips stored, {Duplicates} already stored, {Rejects} rejected")]
    private static partial void LogBatchCommitted(ILogger logger, int messages, int inserted, int duplicates, int rejects);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consume error: {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL unavailable; retry {Attempt} of the batch in {Delay}. Nothing is consumed meanwhile")]
    private static partial void LogDatabaseRetry(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committing offsets to Kafka failed ({Reason}); PostgreSQL holds the real progress")]
    private static partial void LogKafkaCommitFailed(ILogger logger, string reason);
}
