using Npgsql;
using TaxiAspire.AppHost.Hosting;
using TaxiAspire.LocalInfrastructure.Kafka;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace TaxiAspire.AppHost.Tests;

/// <summary>
/// A user's own clusters, started outside the AppHost: librdkafka's mock cluster (3 brokers, PLAINTEXT) and a
/// throwaway PostgreSQL server whose taxidb belongs to a role that may not create databases.
/// </summary>
public sealed class ExistingClusters : IAsyncDisposable
{
    public const string Role = "taxi_app";

    private readonly LocalPostgresServer _postgres;
    private readonly string _registryFolder = Path.Combine(Path.GetTempPath(), $"taxiaspire-registry-{Guid.NewGuid():N}");

    private ExistingClusters(MockKafkaCluster kafka, LocalPostgresServer postgres, string rolePassword)
    {
        Kafka = kafka;
        _postgres = postgres;
        TaxidbConnectionString = new NpgsqlConnectionStringBuilder(postgres.GetConnectionString("taxidb"))
        {
            Username = Role,
            Password = rolePassword,
        }.ConnectionString;
        Directory.CreateDirectory(_registryFolder);
    }

    public MockKafkaCluster Kafka { get; }

    public string TaxidbConnectionString { get; }

    public string RegistryUrl => new Uri(_registryFolder + Path.DirectorySeparatorChar).AbsoluteUri;

    /// <summary>Starts both; <paramref name="tripsPartitions"/> lets a test give taxi_trips a layout the AppHost does not expect.</summary>
    public static async Task<ExistingClusters> StartAsync(int? tripsPartitions = null)
    {
        var topics = PipelineTopics.All
            .Select(t => new MockTopic(t.Name, t.Name == "taxi_trips" && tripsPartitions is { } p ? p : t.Partitions))
            .ToList();
        var kafka = MockKafkaCluster.Start(new MockKafkaClusterOptions { BrokerCount = 3, Topics = topics });
        var postgres = LocalPostgresServer.Create(LocalPostgresOptions.Throwaway());
        await postgres.StartAsync();

        // A password with URI and connection-string delimiters, as a managed database's generated one may have.
        var password = "p@ss:w/rd#%;'" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync();
            await using var role = new NpgsqlCommand(
                $"CREATE ROLE {Role} LOGIN NOCREATEDB NOCREATEROLE NOSUPERUSER PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", admin);
            await role.ExecuteNonQueryAsync();
            await using var database = new NpgsqlCommand($"CREATE DATABASE taxidb OWNER {Role}", admin);
            await database.ExecuteNonQueryAsync();
        }

        return new ExistingClusters(kafka, postgres, password);
    }

    /// <summary>The AppHost's command line for existing mode against these clusters.</summary>
    public List<string> AppHostArguments(string? taxidbConnectionString = null) =>
    [
        "--infrastructure", "existing",
        "--ConnectionStrings:kafka", Kafka.BootstrapServers,
        "--ConnectionStrings:taxidb", taxidbConnectionString ?? TaxidbConnectionString,
        "--ConnectionStrings:mlflow", RegistryUrl,
    ];

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _postgres.DisposeAsync();
        await Kafka.DisposeAsync();
        if (Directory.Exists(_registryFolder))
        {
            Directory.Delete(_registryFolder, recursive: true);
        }
    }
}
