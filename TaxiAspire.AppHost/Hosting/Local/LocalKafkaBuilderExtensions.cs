using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaxiAspire.AppHost.Hosting.Local;
using TaxiAspire.LocalInfrastructure.Kafka;

namespace Aspire.Hosting;

public static class LocalKafkaBuilderExtensions
{
    private const int BrokerCount = 3;

    /// <summary>The mock cluster cannot create topics on request, so they are created with it.</summary>
    private static readonly MockTopic[] MockTopics =
        [.. TaxiAspire.AppHost.Hosting.PipelineTopics.All.Select(t => new MockTopic(t.Name, t.Partitions))];

    /// <summary>
    /// Kafka without a container runtime: a 3-broker librdkafka mock cluster created in the AppHost process when the
    /// app starts (not when the model is built or published) and destroyed at shutdown.
    /// </summary>
    public static IResourceBuilder<LocalKafkaResource> AddLocalKafka(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, int bootstrapPort = 9092)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var resource = new LocalKafkaResource(name, bootstrapPort);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new LocalKafkaHealthCheck(resource), failureStatus: null, tags: null));

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, StartClusterAsync);

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Kafka (mock cluster)",
                State = KnownResourceStates.NotStarted,
                Properties =
                [
                    new(LocalInfrastructureProperties.Mode, LocalInfrastructureProperties.LocalMode),
                    new("kafka.bootstrap.external", resource.ExternalBootstrapServers),
                ],
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static async Task StartClusterAsync(InitializeResourceEvent @event, CancellationToken cancellationToken)
    {
        var resource = (LocalKafkaResource)@event.Resource;
        var notifications = @event.Notifications;
        var logger = @event.Logger;

        await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting });
        MockKafkaCluster cluster;
        try
        {
            cluster = MockKafkaCluster.Start(
                new MockKafkaClusterOptions
                {
                    BrokerCount = BrokerCount,
                    Topics = MockTopics,
                    BootstrapPort = resource.BootstrapPort,
                },
                logger);
        }
        catch (Exception ex) when (ex is MockKafkaUnavailableException or InvalidOperationException)
        {
            LocalKafkaLog.StartFailed(logger, ex);
            resource.FailedToStart(ex);
            await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart });
            return;
        }

        resource.Started(cluster);
        var lifetime = @event.Services.GetRequiredService<IHostApplicationLifetime>();
        // Once the AppHost has stopped. On Ctrl+C that is before the services are: the AppHost only asks DCP to stop
        // them and exits (docs/stopping.md), so in local mode a stopping service finds the brokers already gone.
        lifetime.ApplicationStopped.Register(() => resource.Stopped()?.Dispose());

        await @event.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, @event.Services), cancellationToken);
        await notifications.PublishUpdateAsync(resource, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = DateTime.UtcNow,
            Urls = [new UrlSnapshot("bootstrap", $"tcp://{resource.ExternalBootstrapServers}", IsInternal: false)],
            Properties =
            [
                .. s.Properties.Where(p => p.Name is not ("kafka.bootstrap.internal" or "kafka.brokers" or "kafka.topics" or "librdkafka.path")),
                new("kafka.bootstrap.internal", cluster.BootstrapServers),
                new("kafka.brokers", string.Join(", ", cluster.Brokers.Select(b => $"{b.Id}={b.Address}"))),
                new("kafka.topics", string.Join(", ", MockTopics.Select(t => $"{t.Name} ({t.Partitions})"))),
                new("librdkafka.path", cluster.LibraryPath),
            ],
        });
        await @event.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, @event.Services), cancellationToken);
    }
}

internal static partial class LocalKafkaLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The Kafka mock cluster could not start")]
    public static partial void StartFailed(ILogger logger, Exception exception);
}
