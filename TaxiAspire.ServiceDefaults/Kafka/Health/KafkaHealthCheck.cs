using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.ServiceDefaults.Kafka.Health;

/// <summary>
/// Healthy when a broker of the connection answers a metadata request within the timeout. One instance (and one
/// admin client, created on the first check and kept, so checks reuse its connections) per connection name.
/// </summary>
public sealed class KafkaHealthCheck : IHealthCheck, IDisposable
{
    // What the admin client needs to reach the cluster; producer- or consumer-only properties would only draw
    // librdkafka warnings on an admin handle.
    private static readonly string[] ConnectionPropertyPrefixes =
        ["bootstrap.servers", "client.id", "security.", "sasl.", "ssl.", "broker.address.family", "client.dns.lookup"];

    private readonly Lazy<IAdminClient> _adminClient;
    private readonly TimeSpan _timeout;

    public KafkaHealthCheck(ClientConfig connection, TimeSpan timeout, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);

        _timeout = timeout;
        var config = new AdminClientConfig();
        foreach (var (key, value) in connection)
        {
            if (ConnectionPropertyPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                config.Set(key, value);
            }
        }

        config.SocketTimeoutMs = (int)Math.Max(timeout.TotalMilliseconds, 10);
        // Comes back quickly after an outage: librdkafka's default backoff grows to 10 s.
        config.ReconnectBackoffMaxMs = 1000;

        _adminClient = new Lazy<IAdminClient>(() => new AdminClientBuilder(config)
            .SetLogHandler((_, message) => KafkaClientLog.Write(logger, message))
            .SetErrorHandler((client, error) => KafkaClientLog.Write(logger, client.Name, error))
            .Build());
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);

        try
        {
            // Blocking, bounded by the timeout; the health check service already runs each check on its own task.
            var metadata = _adminClient.Value.GetMetadata(_timeout);
            if (metadata.Brokers.Count == 0)
            {
                return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The cluster reported no brokers."));
            }

            var data = new Dictionary<string, object>
            {
                ["brokers"] = metadata.Brokers.Count,
                ["answered_by"] = metadata.OriginatingBrokerName,
            };
            return Task.FromResult(HealthCheckResult.Healthy(
                string.Create(CultureInfo.InvariantCulture, $"{metadata.Brokers.Count} broker(s) known to {metadata.OriginatingBrokerName}."),
                data));
        }
        catch (KafkaException ex)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus, $"No Kafka broker answered within {_timeout.TotalSeconds:0.#} s: {ex.Error.Reason}", ex));
        }
    }

    public void Dispose()
    {
        if (_adminClient.IsValueCreated)
        {
            _adminClient.Value.Dispose();
        }
    }
}
