using Confluent.Kafka;

namespace TaxiAspire.Producer.Publishing;

/// <summary>The Kafka producer registration the service and the command line share.</summary>
internal static class ProducerKafka
{
    /// <summary>The connection string name the AppHost's <c>WithReference(kafka)</c> provides.</summary>
    public const string ConnectionName = "kafka";

    /// <summary>
    /// Registers the idempotent producer through the service defaults (logging, metrics, health, <c>send</c> spans).
    /// Batching settings favour throughput and bound memory; each is a default that <c>Kafka:Producer:Config</c> can
    /// override.
    /// </summary>
    public static void AddTripProducer(this IHostApplicationBuilder builder) =>
        builder.AddKafkaProducer<string, byte[]>(ConnectionName, configureConfig: config =>
        {
            // Idempotence: a retried send never duplicates a trip in the log (implies acks=all, ≤5 in flight).
            config.EnableIdempotence = true;
            config.Acks = Acks.All;
            config.LingerMs ??= 10;
            config.BatchSize ??= 1_000_000;
            config.BatchNumMessages ??= 10_000;
            // The bound on the client's memory: past it Produce reports QueueFull and the sink backs off.
            config.QueueBufferingMaxKbytes ??= 64 * 1024;
            config.QueueBufferingMaxMessages ??= 200_000;
            // Delivery reports only need the outcome; copying key and value back into .NET would double the work.
            config.DeliveryReportFields ??= "status";
            // An unreachable broker fails messages after two minutes instead of librdkafka's five.
            config.MessageTimeoutMs ??= 120_000;
            config.ReconnectBackoffMaxMs ??= 10_000;
        });
}
