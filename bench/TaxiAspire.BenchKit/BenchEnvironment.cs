using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaxiAspire.Data.Schema;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace TaxiAspire.BenchKit;

/// <summary>
/// The local-mode infrastructure a run needs, owned by this process: a 3-broker librdkafka mock cluster (real Kafka
/// protocol on 127.0.0.1) and a PostgreSQL server from the machine's binaries with a migrated <c>taxidb</c>.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string Database = "taxidb";

    private BenchEnvironment(MockKafkaCluster kafka, LocalPostgresServer postgres)
    {
        Kafka = kafka;
        Postgres = postgres;
    }

    public MockKafkaCluster Kafka { get; private set; }

    public LocalPostgresServer Postgres { get; }

    public string DatabaseConnectionString => Postgres.GetConnectionString(Database);

    public static async Task<BenchEnvironment> StartAsync(bool fsync)
    {
        var kafka = StartKafka();
        // A folder of its own rather than a throwaway server: throwaway servers cannot be restarted, and chaos does that.
        var root = Path.Combine(Path.GetTempPath(), $"taxiaspire-bench-{Guid.NewGuid():N}");
        var postgres = LocalPostgresServer.Create(new LocalPostgresOptions { Fsync = fsync, RootDirectory = root });
        await postgres.StartAsync();
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var migrated = DatabaseMigrator.Migrate(postgres.GetConnectionString(Database), NullLoggerFactory.Instance);
        if (!migrated.Successful)
        {
            throw new InvalidOperationException("Migrating taxidb failed.", migrated.Error);
        }

        return new BenchEnvironment(kafka, postgres);
    }

    /// <summary>
    /// What a local-mode AppHost restart does to Kafka: the mock cluster and its log are gone, a new one starts with
    /// the same topics (on new ports) and an empty log, while PostgreSQL keeps the stored offsets.
    /// </summary>
    public async Task RestartKafkaAsync(IEnumerable<(string Topic, int Partitions)> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        await Kafka.DisposeAsync();
        Kafka = StartKafka();
        foreach (var (topic, partitions) in topics)
        {
            Kafka.CreateTopic(topic, partitions);
        }
    }

    private static MockKafkaCluster StartKafka() => MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3 });

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Postgres.DisposeAsync();
        await Kafka.DisposeAsync();
        try
        {
            Directory.Delete(Postgres.RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; harmless.
        }
    }
}
