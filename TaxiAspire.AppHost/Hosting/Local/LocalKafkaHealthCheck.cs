using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>Healthy when the mock cluster answers a metadata request with all its brokers.</summary>
internal sealed class LocalKafkaHealthCheck(LocalKafkaResource resource) : IHealthCheck
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (resource.Cluster is not { } cluster)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The mock cluster has not started."));
        }

        // The metadata call blocks; keep it off the health check service's loop.
        return Task.Run(
            () =>
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig
                    {
                        BootstrapServers = cluster.BootstrapServers,
                        ClientId = "apphost-health",
                    })
                    .SetLogHandler((_, _) => { })
                    .Build();
                try
                {
                    var metadata = admin.GetMetadata(MetadataTimeout);
                    return metadata.Brokers.Count > 0
                        ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} brokers, {metadata.Topics.Count} topics")
                        : HealthCheckResult.Unhealthy("No broker answered.");
                }
                catch (KafkaException ex)
                {
                    return HealthCheckResult.Unhealthy("Metadata request failed.", ex);
                }
            },
            cancellationToken);
    }
}
