using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaxiAspire.AppHost.Hosting.Containers;

/// <summary>Containers mode's Kafka: the equivalent of Aspire.Hosting.Kafka, which this project cannot obtain.</summary>
public static class KafkaContainerExtensions
{
    public const int BrokerPort = 9092;
    public const int InternalBrokerPort = 9093;
    private const int KafkaUiPort = 8080;
    private const string DataPath = "/var/lib/kafka/data";

    public static IResourceBuilder<KafkaServerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? hostPort = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kafka = new KafkaServerResource(name);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, ct) =>
            connectionString = await kafka.ConnectionStringExpression.GetValueAsync(ct));

        // Before anyone produces: auto-created topics would get a single partition.
        builder.Eventing.Subscribe<ResourceReadyEvent>(kafka, async (_, _) =>
            await KafkaTopicCreator.EnsureCreatedAsync(connectionString!, PipelineTopics.All));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new KafkaBrokerHealthCheck(() => connectionString),
            failureStatus: default,
            tags: default));

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: BrokerPort, port: hostPort, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: InternalBrokerPort, name: KafkaServerResource.InternalEndpointName)
            .WithImage(KafkaContainerImageTags.Image, KafkaContainerImageTags.Tag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithEnvironment(context => ConfigureListeners(context, kafka))
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<KafkaServerResource> WithKafkaUI(this IResourceBuilder<KafkaServerResource> builder, [ResourceName] string name = "kafka-ui")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kafka = builder.Resource;
        builder.ApplicationBuilder.AddResource(new KafkaUIContainerResource(name))
            .WithImage(KafkaContainerImageTags.KafkaUiImage, KafkaContainerImageTags.KafkaUiTag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithHttpEndpoint(targetPort: KafkaUiPort)
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Name)
            // Containers reach each other on Aspire's container network by resource name.
            .WithEnvironment(context => context.EnvironmentVariables["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"] = context.ExecutionContext.IsRunMode
                ? ReferenceExpression.Create($"{kafka.Name}:{kafka.InternalEndpoint.Property(EndpointProperty.TargetPort)}")
                : ReferenceExpression.Create($"{kafka.InternalEndpoint.Property(EndpointProperty.HostAndPort)}"))
            .WithParentRelationship(kafka)
            .WaitFor(builder)
            .ExcludeFromManifest();
        return builder;
    }

    public static IResourceBuilder<KafkaServerResource> WithDataVolume(this IResourceBuilder<KafkaServerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithEnvironment("KAFKA_LOG_DIRS", DataPath)
            .WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataPath);
    }

    private static void ConfigureListeners(EnvironmentCallbackContext context, KafkaServerResource kafka)
    {
        // confluent-local runs KRaft in one container; besides its defaults, PLAINTEXT_HOST serves the host and
        // PLAINTEXT_INTERNAL serves other containers.
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{BrokerPort},PLAINTEXT_INTERNAL://0.0.0.0:{InternalBrokerPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
        // Run mode: host clients bootstrap through the proxied host port and must be sent back to it; containers
        // reach the broker by resource name on Aspire's container network. Publish mode: the deployment's addresses.
        var primary = kafka.PrimaryEndpoint;
        var @internal = kafka.InternalEndpoint;
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
            ? ReferenceExpression.Create(
                $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{primary.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{@internal.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create(
                $"PLAINTEXT://{primary.Property(EndpointProperty.Host)}:29092,PLAINTEXT_HOST://{primary.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{@internal.Property(EndpointProperty.HostAndPort)}");
    }
}
