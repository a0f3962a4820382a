using TaxiAspire.MigrationService;
using TaxiAspire.MigrationService.Topics;

// A one-shot resource: applies taxidb's migrations (and, on a user's own Kafka, provisions the topics), then exits.
// The services wait for it to complete.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<MigrationOptions>()
    .Configure(o => o.ConnectionString = builder.Configuration.GetConnectionString(MigrationOptions.ConnectionName) ?? string.Empty)
    .ValidateDataAnnotations()
    .ValidateOnStart();

// Only when the AppHost hands over a cluster (existing mode); elsewhere the AppHost creates the topics with the broker.
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(MigrationOptions.KafkaConnectionName)))
{
    builder.AddKafkaAdminClient(MigrationOptions.KafkaConnectionName);
    builder.Services.AddOptions<TopicProvisioningOptions>()
        .Configure(o => builder.Configuration.GetSection(TopicProvisioningOptions.SectionName).Bind(o.Topics))
        .Validate(o => o.Topics.Values.All(t => t.Partitions > 0 && t.ReplicationFactor > 0),
            "Every Kafka:Topics:{topic} needs Partitions and ReplicationFactor of at least 1.")
        .ValidateOnStart();
    builder.Services.AddSingleton<TopicProvisioner>();
}

builder.Services.AddHostedService<MigrationWorker>();

await builder.Build().RunAsync();
