using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// Healthy when a broker answers a metadata request and advertises the address clients bootstrap on: a broker that
/// sends clients elsewhere (another port, possibly someone else's Kafka) is not a working Kafka, however many brokers
/// it counts.
/// </summary>
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
            if (metadata.Brokers.Count == 0)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("No broker answered."));
            }

            var advertised = metadata.Brokers.Select(b => $"{b.Host}:{b.Port}").ToList();
            var bootstrap = servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Task.FromResult(advertised.Intersect(bootstrap, StringComparer.OrdinalIgnoreCase).Any()
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s), {metadata.Topics.Count} topic(s)")
                : HealthCheckResult.Unhealthy(
                    $"Bootstrapped on {servers}, the broker advertises {string.Join(", ", advertised)}: clients would be sent there. Check the advertised listeners."));
        }
        catch (KafkaException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(ex.Error.Reason, ex));
        }
    }
}
