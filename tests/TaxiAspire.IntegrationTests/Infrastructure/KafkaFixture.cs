using Confluent.Kafka;
using Confluent.Kafka.Admin;
using TaxiAspire.LocalInfrastructure.Kafka;
using Testcontainers.Kafka;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>
/// A Kafka cluster for integration tests: a Testcontainers broker when a container runtime answers, otherwise
/// librdkafka's mock cluster in this process. Never skipped, never an in-memory fake.
/// </summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    public const string ContainerImage = "confluentinc/cp-kafka:7.5.12";

    private KafkaContainer? _container;
    private MockKafkaCluster? _mock;

    public string BootstrapServers { get; private set; } = string.Empty;

    /// <summary>True in local mode: brokers can be taken down and brought back (<see cref="SetBrokerDown"/>).</summary>
    public bool SupportsBrokerFaults => _mock is not null;

    public bool UsesContainer => _container is not null;

    public async ValueTask InitializeAsync()
    {
        if (await ContainerRuntime.IsAvailableAsync())
        {
            _container = new KafkaBuilder(ContainerImage).Build();
            await _container.StartAsync();
            BootstrapServers = _container.GetBootstrapAddress();
        }
        else
        {
            _mock = MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3 });
            BootstrapServers = _mock.BootstrapServers;
        }
    }

    /// <summary>Creates a topic: through the admin API on a real broker, through the mock API on the mock cluster.</summary>
    public async Task CreateTopicAsync(string name, int partitions = 1)
    {
        if (_mock is not null)
        {
            _mock.CreateTopic(name, partitions);
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    public void SetBrokerDown(int brokerId) => RequireMock().SetBrokerDown(brokerId);

    public void SetBrokerUp(int brokerId) => RequireMock().SetBrokerUp(brokerId);

    public async ValueTask DisposeAsync()
    {
        if (_mock is not null)
        {
            await _mock.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private MockKafkaCluster RequireMock() => _mock ?? throw new NotSupportedException(
        "Broker faults need the local mock cluster; the single container broker cannot be taken down per broker id.");
}
