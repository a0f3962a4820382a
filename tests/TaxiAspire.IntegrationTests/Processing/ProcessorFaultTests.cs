using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.LocalInfrastructure.Postgres;
using TaxiAspire.ServiceDefaults.Kafka;

namespace TaxiAspire.IntegrationTests.Processing;

/// <summary>PostgreSQL going away and coming back: the batch in hand, or an assignment, waits for it with backoff; nothing lost or doubled.</summary>
public class DatabaseOutageTests(KafkaFixture kafka)
{
    [Fact]
    public async Task PostgreSQL_crashing_mid_stream_then_back_loses_and_doubles_nothing()
    {
        // A server of this test's own: stopping the shared one would fail every other test. Not a throwaway one,
        // since those cannot be started again.
        var root = Path.Combine(Path.GetTempPath(), $"taxiaspire-outage-{Guid.NewGuid():N}");
        using var cleanup = new FolderCleanup(root); // declared first: disposed after the server stopped
        // A test server (fsync and synchronous_commit off): the batch writer asks for synchronous commits itself, or a
        // crash would undo batches the processor already saw committed (it does not read them again).
        await using var server = LocalPostgresServer.Create(new LocalPostgresOptions { RootDirectory = root, Fsync = false });
        await server.StartAsync(TestContext.Current.CancellationToken);
        var scenario = await ProcessorScenario.CreateAsync(kafka.BootstrapServers, kafka.CreateTopicAsync, _ => CreateDatabaseAsync(server));
        const int messages = 6_000;
        await scenario.ProduceAsync(0, messages / 2, 25);

        await using (var processor = await ProcessorHost.StartAsync(scenario))
        {
            await scenario.WaitUntilStoredAsync(messages / 6, TimeSpan.FromSeconds(30));
            // Immediate stop, as in a crash: open transactions die with it; a commit the processor saw must survive.
            await server.CrashAsync(TestContext.Current.CancellationToken);
            await scenario.ProduceAsync(messages / 2, messages, 25);
            // The outage lasts until the processor holds messages it consumed during it, which it cannot store yet.
            var consumer = processor.Services.GetRequiredService<IConsumer<byte[]?, byte[]?>>();
            await StreamProcessorTests.WaitUntilAsync(() => StreamProcessorTests.Consumed(consumer) > messages / 2, TimeSpan.FromSeconds(30), "the processor consumed messages sent during the outage");
            await server.StartAsync(TestContext.Current.CancellationToken);
            await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(40));
        }

        await scenario.AssertExactlyOnceAsync(messages, 25);
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task Partitions_assigned_while_PostgreSQL_is_down_wait_for_it_and_lose_and_double_nothing()
    {
        var root = Path.Combine(Path.GetTempPath(), $"taxiaspire-outage-{Guid.NewGuid():N}");
        using var cleanup = new FolderCleanup(root);
        await using var server = LocalPostgresServer.Create(new LocalPostgresOptions { RootDirectory = root, Fsync = false });
        await server.StartAsync(TestContext.Current.CancellationToken);
        var scenario = await ProcessorScenario.CreateAsync(kafka.BootstrapServers, kafka.CreateTopicAsync, _ => CreateDatabaseAsync(server));
        const int messages = 3_000;
        await scenario.ProduceAsync(0, messages, 25);
        await server.CrashAsync(TestContext.Current.CancellationToken);

        await using (var processor = await ProcessorHost.StartAsync(scenario))
        {
            // The stored offsets cannot be read: the assignment waits, and says so, rather than start anywhere else.
            await StreamProcessorTests.WaitUntilAsync(
                () => processor.Logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.StartsWith("PostgreSQL unavailable while starting partitions", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the processor waited for PostgreSQL on assignment");
            await server.StartAsync(TestContext.Current.CancellationToken);
            await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(40));
        }

        await scenario.AssertExactlyOnceAsync(messages, 25);
        NpgsqlConnection.ClearAllPools();
    }

    private sealed class FolderCleanup(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static async Task<string> CreateDatabaseAsync(LocalPostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("CREATE DATABASE taxidb_outage", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return server.GetConnectionString("taxidb_outage");
    }
}

/// <summary>A Kafka broker down for a while: the processor resumes by itself, nothing lost or doubled.</summary>
public class BrokerOutageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_broker_down_mid_stream_then_up_resumes_and_loses_and_doubles_nothing()
    {
        // A cluster of this test's own: the shared one serves tests that must not see a broker vanish.
        await using var cluster = MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3 });
        var scenario = await ProcessorScenario.CreateAsync(
            cluster.BootstrapServers, (name, partitions) => { cluster.CreateTopic(name, partitions); return Task.CompletedTask; }, postgres.CreateDatabaseAsync);
        const int messages = 6_000;
        await scenario.ProduceAsync(0, messages / 2, 25);

        await using (var processor = await ProcessorHost.StartAsync(scenario))
        {
            await scenario.WaitUntilStoredAsync(messages / 6, TimeSpan.FromSeconds(30));
            // The mock cluster places leaders at random: the broker taken down leads a partition the processor reads
            // (one leading none gives the consumer no reason to call it again: the likely cause of one CI timeout here).
            int down;
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                down = admin.GetMetadata(scenario.Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.First(p => p.PartitionId == 0).Leader;
            }

            var broker = cluster.Brokers.Single(b => b.Id == down).Address;
            cluster.SetBrokerDown(down);
            // The outage lasts until the processor has met it: its consumer, cut off mid-stream, tried the broker again
            // and was refused (librdkafka reports that as a client error, which the Kafka client integration logs as a
            // warning; the disconnect itself is only information).
            await StreamProcessorTests.WaitUntilAsync(() => ReportedLost(processor, broker), TimeSpan.FromSeconds(30), $"the processor's consumer reported broker {broker} gone");
            cluster.SetBrokerUp(down);
            await scenario.ProduceAsync(messages / 2, messages, 25);
            await scenario.WaitUntilStoredAsync(messages, TimeSpan.FromSeconds(45));
        }

        await scenario.AssertExactlyOnceAsync(messages, 25);
    }

    private static bool ReportedLost(ProcessorHost processor, string broker) =>
        processor.Logs.GetSnapshot().Any(r => r is { Category: KafkaClientLog.CategoryName, Level: >= LogLevel.Warning }
            && r.Message.Contains("rdkafka#consumer", StringComparison.Ordinal)
            && r.Message.Contains(broker, StringComparison.Ordinal));
}
