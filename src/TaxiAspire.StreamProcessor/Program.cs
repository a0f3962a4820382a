using Confluent.Kafka;
using TaxiAspire.Data.Ingestion;
using TaxiAspire.StreamProcessor.Processing;
using TaxiAspire.Trips.Validation;
using TaxiAspire.Trips.Windows;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");

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
    "kafka",
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
        // PostgreSQL holds the offsets that count; Kafka's are committed after each batch only for lag tools.
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
    });
builder.AddKafkaProducer<byte[]?, byte[]?>("kafka", configureConfig: config =>
{
    config.EnableIdempotence = true;
    config.Acks = Acks.All;
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(HoppingWindows.Default);
builder.Services.AddSingleton(sp => new TripValidator(
    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TripValidationOptions>>().Value,
    sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<PartitionEpochs>();
builder.Services.AddSingleton<ConsumerProgressStore>();
builder.Services.AddSingleton<TripBatchWriter>();
builder.Services.AddSingleton<StoredOffsetSeeker>();
builder.Services.AddSingleton<BatchBuilder>();
builder.Services.AddSingleton<DeadLetterPublisher>();
builder.Services.AddSingleton<StreamProcessorMetrics>();
builder.Services.AddHostedService<TripStreamWorker>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
