using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.ServiceDefaults.Kafka;

namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>
/// Kafka clients of the window publisher, configured from the same <c>kafka</c> connection as the registered ones
/// but with settings of their own: the window producer must be ordered, gapless and quick to give up, which the
/// dead-letter producer need not be.
/// </summary>
internal sealed class WindowProducerFactory(IOptionsMonitor<KafkaProducerSettings> producerSettings)
{
    public const string ConnectionName = "kafka";
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    public IProducer<byte[], byte[]> CreateProducer(TimeSpan deliveryTimeout)
    {
        var config = new ProducerConfig(BaseConfig())
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            // With idempotence, order within a partition holds; gapless makes a lost message fatal instead of silent,
            // which is what lets "the last message's sequence" stand for all sequences before it.
            EnableGaplessGuarantee = true,
            MessageTimeoutMs = (int)deliveryTimeout.TotalMilliseconds,
            LingerMs = 5,
        };
        return new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    public IConsumer<byte[], byte[]> CreateTailReader()
    {
        var config = new ConsumerConfig(BaseConfig())
        {
            GroupId = $"window-publisher-tail-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
        };
        return new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    public static int PartitionCount(IClient client, string topic)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var admin = new DependentAdminClientBuilder(client.Handle).Build();
        var metadata = admin.GetMetadata(topic, MetadataTimeout);
        var partitions = metadata.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions.Count ?? 0;
        return partitions > 0
            ? partitions
            : throw new InvalidOperationException($"Topic '{topic}' has no partitions (does it exist?).");
    }

    // Only connection-level properties are copied: the registered producer's own tuning must not leak in.
    private Dictionary<string, string> BaseConfig()
    {
        var registered = producerSettings.Get(ConnectionName).Config;
        return registered
            .Where(kv => kv.Key == "bootstrap.servers" || kv.Key.StartsWith("security.", StringComparison.Ordinal)
                         || kv.Key.StartsWith("sasl.", StringComparison.Ordinal) || kv.Key.StartsWith("ssl.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }
}
