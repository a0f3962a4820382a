using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.Scoring;
using TaxiAspire.StreamProcessor;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Committing;
using TaxiAspire.StreamProcessor.Consuming;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.StreamProcessor.Windows;
using TaxiAspire.Trips.Validation;
using TaxiAspire.Trips.Windows;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers the whole stream processor on a host, scoring included: the service itself (Program.cs) and the integration tests that run
/// several replicas in one process both use this, so they test the same wiring. Expects an
/// <see cref="Npgsql.NpgsqlDataSource"/> ("taxidb") and the <c>kafka</c> connection string.
/// </summary>
public static class StreamProcessorHostExtensions
{
    public const string KafkaConnectionName = "kafka";

    public static IHostApplicationBuilder AddStreamProcessor(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddOptions<StreamProcessorOptions>()
            .BindConfiguration(StreamProcessorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<TripValidationOptions>()
            .BindConfiguration(TripValidationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var processorSettings = builder.Configuration.GetSection(StreamProcessorOptions.SectionName).Get<StreamProcessorOptions>() ?? new();
        builder.AddKafkaConsumer<byte[]?, byte[]?>(
            KafkaConnectionName,
            (services, consumer) =>
            {
                var seeker = services.GetRequiredService<StoredOffsetSeeker>();
                consumer.SetPartitionsAssignedHandler(seeker.OnAssigned)
                    .SetPartitionsRevokedHandler(seeker.OnRevoked)
                    .SetPartitionsLostHandler(seeker.OnRevoked);
            },
            config =>
            {
                config.GroupId = processorSettings.ConsumerGroup;
                // PostgreSQL holds the offsets that count. Kafka gets them too, only for lag tools: stored after each
                // database commit (never by librdkafka on its own) and sent by the background auto-commit.
                config.EnableAutoCommit = true;
                config.EnableAutoOffsetStore = false;
                config.AutoOffsetReset = AutoOffsetReset.Earliest;
                config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
                // A replica that dies (or a rebalance a member is slow to join) holds its partitions until the session
                // times out; 10 s instead of Kafka's 45 s keeps the stream's pause short when replicas come and go.
                config.SessionTimeoutMs = 10_000;
                // The prefetch queue is the part of memory the batch bound does not cover.
                config.QueuedMaxMessagesKbytes = processorSettings.PrefetchKilobytes;
                config.QueuedMinMessages = Math.Max(processorSettings.MaxBatchSize, 1_000);
                // Once a partition's queue holds QueuedMinMessages, librdkafka postpones its next fetch by this long
                // (default 1 s). Batches drain the queue in milliseconds, so at 1 s the consumer idled most of each
                // second: measured 9,846 trips/s end to end, 24,808 with 10 ms (bench/TaxiAspire.Bench, 300k trips).
                config.FetchQueueBackoffMs = 10;
                config.FetchWaitMaxMs = (int)Math.Ceiling(processorSettings.FetchMaxWait.TotalMilliseconds);
            });
        builder.AddKafkaProducer<byte[]?, byte[]?>(KafkaConnectionName, configureConfig: config =>
        {
            config.EnableIdempotence = true;
            config.Acks = Acks.All;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(HoppingWindows.Default);
        builder.Services.AddSingleton(sp => new TripValidator(
            sp.GetRequiredService<IOptions<TripValidationOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<PartitionEpochs>();
        builder.Services.AddSingleton<ConsumerProgressStore>();
        builder.Services.AddSingleton(sp => new TripBatchWriter(
            sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<HoppingWindows>(),
            sp.GetRequiredService<IOptions<StreamProcessorOptions>>().Value.AllowedLateness));
        builder.Services.AddSingleton<StoredOffsetSeeker>();
        builder.Services.AddSingleton<BatchFiller>();
        builder.Services.AddSingleton<BatchBuilder>();
        builder.Services.AddSingleton<BatchCommitter>();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<StreamProcessorMetrics>();
        builder.Services.AddSingleton<WindowPublicationStore>();
        builder.Services.AddSingleton<WindowProducerFactory>();
        builder.Services.AddHostedService<TripStreamWorker>();

        // Scoring follows the registry only when the app model hands the processor one (mlflow connection string);
        // without one trips are stored unscored, exactly as while no champion exists.
        builder.AddChampionScoring();
        builder.Services.AddSingleton<TripScorer>();
        builder.Services.AddOptions<AnomalyOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<WindowPublisher>();
        return builder;
    }
}
