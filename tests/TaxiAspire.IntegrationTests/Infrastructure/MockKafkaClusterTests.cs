using Confluent.Kafka;
using TaxiAspire.LocalInfrastructure.Kafka;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>The local-mode Kafka: the mock cluster reached by tools outside .NET through the bootstrap forwarder.</summary>
public sealed class MockKafkaClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    // Produces one message and reads it back, the way the original notebook's kafka-python clients did.
    private const string PythonRoundTrip = """
        import sys
        from kafka import KafkaProducer, KafkaConsumer, TopicPartition
        bootstrap, topic = sys.argv[1], sys.argv[2]
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        meta = producer.send(topic, key=b'trip-1', value=b'{"vendor_id": 1}').get(timeout=30)
        producer.flush()
        producer.close()
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, consumer_timeout_ms=20000)
        tp = TopicPartition(topic, meta.partition)
        consumer.assign([tp])
        consumer.seek(tp, meta.offset)
        for message in consumer:
            print("consumed", message.partition, message.offset, message.key.decode(), message.value.decode())
            break
        consumer.close()
        """;

    private MockKafkaCluster _cluster = null!;

    public ValueTask InitializeAsync()
    {
        _cluster = MockKafkaCluster.Start(new MockKafkaClusterOptions
        {
            BrokerCount = 3,
            BootstrapPort = 0,
            Topics = [new MockTopic("taxi_trips", 12), new MockTopic("taxi_trips_dlq", 3)],
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public void Cluster_advertises_its_brokers_and_a_localhost_bootstrap()
    {
        Assert.Equal([1, 2, 3], _cluster.Brokers.Select(b => b.Id));
        Assert.Equal(3, _cluster.BootstrapServers.Split(',').Length);
        Assert.Equal($"localhost:{_cluster.BootstrapPort}", _cluster.ExternalBootstrapServers);
    }

    [Fact]
    public void Native_calls_bind_the_librdkafka_file_that_Confluent_Kafka_loaded()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/maps is Linux only");
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? line[i..] : null)
            .OfType<string>()
            .Where(path => Path.GetFileName(path).Contains("rdkafka", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.Equal([_cluster.LibraryPath], mapped);
    }

    [Fact]
    public async Task Kcat_lists_the_topics_through_the_forwarder()
    {
        var result = await ExternalTool.RunAsync("kcat", ["-L", "-b", _cluster.ExternalBootstrapServers!], ToolTimeout);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("3 brokers", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("topic \"taxi_trips\" with 12 partitions", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("topic \"taxi_trips_dlq\" with 3 partitions", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_kafka_client_produces_and_consumes_through_localhost()
    {
        var result = await ExternalTool.RunAsync(
            "/usr/bin/python3",
            ["-c", PythonRoundTrip, _cluster.ExternalBootstrapServers!, "taxi_trips"],
            ToolTimeout);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Matches(@"consumed \d+ \d+ trip-1 \{""vendor_id"": 1\}", result.StandardOutput);
    }

    [Fact]
    public async Task Forwarder_skips_a_broker_that_is_down()
    {
        _cluster.SetBrokerDown(1);
        Assert.False(_cluster.IsBrokerUp(1));

        // Enough bootstraps to pass every broker in the forwarder's rotation.
        for (var i = 0; i < 4; i++)
        {
            var result = await ExternalTool.RunAsync(
                "kcat", ["-L", "-b", _cluster.ExternalBootstrapServers!, "-t", "taxi_trips_dlq"], ToolTimeout);
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("taxi_trips_dlq", result.StandardOutput, StringComparison.Ordinal);
        }

        _cluster.SetBrokerUp(1);
        Assert.True(_cluster.IsBrokerUp(1));
    }

    [Fact]
    public async Task Confluent_clients_round_trip_on_a_topic_created_through_the_mock_api()
    {
        _cluster.CreateTopic("roundtrip", 2);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var delivered = await producer.ProduceAsync("roundtrip", new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "roundtrip-test",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("roundtrip");
        var consumed = consumer.Consume(TimeSpan.FromSeconds(30));
        consumer.Close();

        Assert.NotNull(consumed);
        Assert.Equal(delivered.TopicPartitionOffset, consumed.TopicPartitionOffset);
        Assert.Equal("v", consumed.Message.Value);
    }

    [Fact]
    public void Creating_an_existing_topic_fails_clearly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _cluster.CreateTopic("taxi_trips", 12));
        Assert.Contains("taxi_trips", error.Message, StringComparison.Ordinal);
    }
}
