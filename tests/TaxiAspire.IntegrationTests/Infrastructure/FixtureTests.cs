using Confluent.Kafka;
using Npgsql;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>The shared fixtures work in whichever mode this machine allows.</summary>
public sealed class FixtureTests(KafkaFixture kafka, PostgresFixture postgres)
{
    [Fact]
    public async Task Kafka_fixture_creates_topics_that_clients_can_use()
    {
        var topic = "fixture-" + Guid.NewGuid().ToString("N")[..8];
        await kafka.CreateTopicAsync(topic, partitions: 3);

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "hello" }, TestContext.Current.CancellationToken);

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task Kafka_fixture_survives_a_broker_going_down_when_the_mode_allows_it()
    {
        if (!kafka.SupportsBrokerFaults)
        {
            Assert.Throws<NotSupportedException>(() => kafka.SetBrokerDown(1));
            return;
        }

        var topic = "faults-" + Guid.NewGuid().ToString("N")[..8];
        await kafka.CreateTopicAsync(topic, partitions: 6);
        Dictionary<int, int> leaders;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            leaders = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
        }

        // The mock cluster places leaders at random: the broker taken down is one that leads a partition.
        var down = leaders[0];
        kafka.SetBrokerDown(down);
        try
        {
            using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
            {
                BootstrapServers = kafka.BootstrapServers,
                MessageTimeoutMs = 30000,
            }).Build();

            // Partitions led by the downed broker wait for it; the others deliver now.
            var pending = Enumerable.Range(0, 6)
                .Select(p => (Leader: leaders[p], Delivery: producer.ProduceAsync(new TopicPartition(topic, p), new Message<Null, string> { Value = "x" }, TestContext.Current.CancellationToken)))
                .ToList();
            var others = await Task.WhenAll(pending.Where(p => p.Leader != down).Select(p => p.Delivery)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.All(others, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
            var waiting = pending.Where(p => p.Leader == down).Select(p => p.Delivery).ToList();
            Assert.NotEmpty(waiting);
            Assert.All(waiting, d => Assert.False(d.IsCompleted, "a partition whose leader is down delivered"));

            kafka.SetBrokerUp(down);
            var results = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }
        finally
        {
            kafka.SetBrokerUp(down);
        }
    }

    [Fact]
    public async Task Postgres_fixture_gives_each_test_its_own_database()
    {
        var first = await postgres.CreateDatabaseAsync("iso");
        var second = await postgres.CreateDatabaseAsync("iso");

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("CREATE TABLE t (id int); SELECT current_database()", connection);
        Assert.Equal(new NpgsqlConnectionStringBuilder(first).Database, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
