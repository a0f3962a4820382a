using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>Healthy when a broker answers a metadata request: the AppHost's view of a Kafka resource, in either mode.</summary>
public sealed class KafkaBrokerHealthCheck(Func<string?> bootstrapServers) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bootstrapServers() is not { Length: > 0 } servers)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The broker address is not known yet."));
        }

        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers, SocketTimeoutMs = 3000 }).Build();
            var metadata = admin.GetMetadata(Timeout);
            return Task.FromResult(metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)")
                : HealthCheckResult.Unhealthy("No broker answered."));
        }
        catch (KafkaException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(ex.Error.Reason, ex));
        }
    }
}
