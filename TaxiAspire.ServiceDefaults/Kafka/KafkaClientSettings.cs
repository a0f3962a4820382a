using Confluent.Kafka;

namespace TaxiAspire.ServiceDefaults.Kafka;

/// <summary>
/// What the Kafka producer and consumer registrations share: the instrumentation switches. Bound from the
/// <c>Kafka:Producer</c> / <c>Kafka:Consumer</c> sections, then from <c>Kafka:Producer:{connectionName}</c> (overrides).
/// </summary>
public abstract class KafkaClientSettings
{
    /// <summary>librdkafka's statistics interval when metrics are on and the configuration names none.</summary>
    public static readonly TimeSpan DefaultStatisticsInterval = TimeSpan.FromSeconds(5);

    /// <summary>Skips the per-connection <see cref="Health.KafkaHealthCheck"/>.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>
    /// Registers the bare producer instead of the tracing decorator (no <c>send</c> spans, no <c>traceparent</c>
    /// header). Consumers create their spans themselves through <see cref="Tracing.KafkaActivitySourceExtensions"/>.
    /// </summary>
    public bool DisableTracing { get; set; }

    /// <summary>Leaves librdkafka statistics off, so no Kafka client metrics are published.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>How long the health check waits for a broker to answer its metadata request.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The librdkafka configuration (typed as the concrete client's config by the derived class).</summary>
    internal abstract ClientConfig ClientConfig { get; }
}
