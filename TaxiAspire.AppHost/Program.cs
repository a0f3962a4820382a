using TaxiAspire.AppHost.Hosting;
using TaxiAspire.AppHost.Hosting.Existing;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers when a container runtime answers, the machine's own otherwise, or the user's own
// clusters (`--infrastructure existing`, see docs/deployment.md).
var settings = InfrastructureSettings.From(builder.Configuration);
var mode = builder.AddInfrastructureMode(settings);

var kafka = builder.AddTaxiKafka("kafka", mode, settings);
var taxidb = builder.AddTaxiDatabase("postgres", "taxidb", mode, settings);

// Fare models: MLflow (containers, or `mlflow` on PATH) or the AppHost's registry folder; see Hosting/ModelRegistryExtensions.
var modelRegistry = builder.AddTaxiModelRegistry("mlflow", mode, settings, taxidb);

// The schema (and, on a user's own cluster, the topics), applied once before anyone reads or writes.
var migrations = builder.AddProject<Projects.TaxiAspire_MigrationService>("migrations")
    .WithReference(taxidb)
    .WithTopicProvisioning(kafka, mode)
    .WaitFor(taxidb);

// Trips flow: producer → kafka → stream-processor → taxidb → api.
builder.AddProject<Projects.TaxiAspire_Producer>("producer")
    .WithReference(kafka)
    .WaitFor(kafka)
    .WaitForCompletion(migrations)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithProducerControls();

builder.AddProject<Projects.TaxiAspire_StreamProcessor>("stream-processor")
    .WithReference(kafka)
    .WithReference(taxidb)
    .WithReference(modelRegistry) // scores with the champion once there is one; flows unscored until then
    .WaitFor(kafka)
    .WaitForCompletion(migrations)
    .WithReplicas(settings.ProcessorReplicas)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health");

// Model lifecycle: the trainer trains from taxidb, registers versions and moves `champion`; the processor follows it.
var trainer = builder.AddProject<Projects.TaxiAspire_Trainer>("trainer")
    .WithReference(taxidb)
    .WithReference(modelRegistry)
    .WaitForCompletion(migrations)
    .WaitFor(modelRegistry)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithHttpCommand("/retrain", "Train now", commandOptions: new HttpCommandOptions { Method = HttpMethod.Post });

// The key admin endpoints require: generated once and kept in user secrets; set Parameters:api-admin-key to choose it.
var apiAdminKey = builder.AddParameter("api-admin-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

builder.AddProject<Projects.TaxiAspire_Api>("api")
    .WithReference(taxidb)
    .WithReference(kafka) // high watermarks, for consumer lag
    .WithReference(modelRegistry) // model versions and the champion
    .WithEnvironment("Trainer__BaseAddress", trainer.GetEndpoint("http")) // POST /api/admin/retrain forwards here
    .WithEnvironment("Admin__ApiKey", apiAdminKey)
    .WaitForCompletion(migrations)
    .WithHttpEndpoint(port: settings.ApiPort)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// Every project stops when this AppHost is gone, however it went (Ctrl+C, SIGKILL, a closed terminal).
builder.StopProjectsWithAppHost();

builder.Build().Run();
