using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TaxiAspire.AppHost.Hosting;
using TaxiAspire.AppHost.Hosting.Containers;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// The containers-mode app model, built but not started (no machine here runs containers): the same assertions
/// Aspire's own integration tests make about images, endpoints, environment, references and health checks.
/// </summary>
public class ContainersModeModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> BuildModelAsync() =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaxiAspire_AppHost>(
            ["--infrastructure", "containers"], TestContext.Current.CancellationToken);

    [Fact]
    public async Task Kafka_is_a_kraft_broker_container_with_host_and_container_listeners()
    {
        await using var builder = await BuildModelAsync();
        var kafka = Assert.IsType<KafkaServerResource>(builder.Resources.Single(r => r.Name == "kafka"));

        var image = Assert.Single(kafka.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("docker.io", image.Registry);
        Assert.Equal("confluentinc/confluent-local", image.Image);
        Assert.Equal("7.9.1", image.Tag);

        var endpoints = kafka.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(9092, endpoints["tcp"].TargetPort);
        Assert.Equal(9092, endpoints["tcp"].Port);
        Assert.Equal(9093, endpoints["internal"].TargetPort);
        Assert.True(kafka.TryGetAnnotationsOfType<HealthCheckAnnotation>(out var health));
        Assert.Equal("kafka_check", Assert.Single(health).Key);

        // Publish-mode evaluation renders endpoint references as expressions, so no port needs allocating.
        var env = await ResourceEnvironment.EvaluateAsync(kafka, DistributedApplicationOperation.Publish);

        Assert.Equal("PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:9092,PLAINTEXT_INTERNAL://0.0.0.0:9093", env["KAFKA_LISTENERS"]);
        Assert.Equal("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT", env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]);
        // Publish mode: the deployment's addresses (run mode's resolved values are ContainersModeRunTests' subject).
        Assert.Equal("PLAINTEXT://{kafka.bindings.tcp.host}:29092,PLAINTEXT_HOST://{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port},PLAINTEXT_INTERNAL://{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", env["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", kafka.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task Kafka_ui_reads_the_broker_over_the_container_network()
    {
        await using var builder = await BuildModelAsync();
        var ui = builder.Resources.OfType<KafkaUIContainerResource>().Single();

        var image = Assert.Single(ui.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("kafbat/kafka-ui", image.Image);
        Assert.Equal(8080, ui.Annotations.OfType<EndpointAnnotation>().Single().TargetPort);

        var env = await ResourceEnvironment.EvaluateAsync(ui, DistributedApplicationOperation.Publish);
        Assert.Equal("kafka", env["KAFKA_CLUSTERS_0_NAME"]);
        Assert.Equal("{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", env["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]);
    }

    [Fact]
    public async Task Postgres_is_the_aspire_container_with_pgweb_and_the_taxidb_database()
    {
        await using var builder = await BuildModelAsync();
        var postgres = builder.Resources.OfType<PostgresServerResource>().Single();

        var image = Assert.Single(postgres.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("library/postgres", image.Image);
        Assert.Equal(5432, postgres.PrimaryEndpoint.EndpointAnnotation.Port);
        // taxidb, and mlflowdb: MLflow's backend store lives on the same server (see MlflowModelTests).
        Assert.Equal(["mlflowdb", "taxidb"], postgres.Databases.Keys.Order());
        Assert.Contains(builder.Resources, r => r.Name.StartsWith("postgres-pgweb", StringComparison.Ordinal) || r.Name == "pgweb");
    }

    [Fact]
    public async Task Services_are_wired_to_kafka_and_taxidb_and_wait_for_the_migrations()
    {
        await using var builder = await BuildModelAsync();
        var byName = builder.Resources.ToDictionary(r => r.Name);

        async Task<Dictionary<string, string>> EnvOf(string name) =>
            await ResourceEnvironment.EvaluateAsync(byName[name], DistributedApplicationOperation.Publish);

        Assert.Equal("{kafka.connectionString}", (await EnvOf("producer"))["ConnectionStrings__kafka"]);
        var processorEnv = await EnvOf("stream-processor");
        Assert.Equal("{kafka.connectionString}", processorEnv["ConnectionStrings__kafka"]);
        Assert.Equal("{taxidb.connectionString}", processorEnv["ConnectionStrings__taxidb"]);
        Assert.Equal("{taxidb.connectionString}", (await EnvOf("api"))["ConnectionStrings__taxidb"]);
        Assert.Equal("{taxidb.connectionString}", (await EnvOf("migrations"))["ConnectionStrings__taxidb"]);

        var processorWaits = byName["stream-processor"].Annotations.OfType<WaitAnnotation>().ToList();
        Assert.Contains(processorWaits, w => w.Resource.Name == "migrations" && w.WaitType == WaitType.WaitForCompletion);
        Assert.Contains(processorWaits, w => w.Resource.Name == "kafka");
        Assert.Equal(2, Assert.Single(byName["stream-processor"].Annotations.OfType<ReplicaAnnotation>()).Replicas);
        Assert.Equal(5080, byName["api"].Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port);
    }

    [Fact]
    public async Task The_dashboard_shows_the_mode()
    {
        await using var builder = await BuildModelAsync();

        var mode = builder.Resources.OfType<InfrastructureModeResource>().Single();

        Assert.Equal(InfrastructureMode.Containers, mode.Mode);
    }
}
