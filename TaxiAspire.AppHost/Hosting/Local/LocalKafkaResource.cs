using TaxiAspire.LocalInfrastructure.Kafka;

namespace TaxiAspire.AppHost.Hosting.Local;

/// <summary>
/// Kafka in local mode: librdkafka's mock cluster inside the AppHost process. Services get the brokers' own
/// addresses; tools outside .NET bootstrap through <see cref="ExternalBootstrapServers"/>.
/// </summary>
public sealed class LocalKafkaResource(string name, int bootstrapPort) : Resource(name), IResourceWithConnectionString
{
    private readonly DeferredValue _bootstrapServers = new($"{{{name}.bootstrapServers}}");

    public int BootstrapPort { get; } = bootstrapPort;

    public string ExternalBootstrapServers => $"localhost:{BootstrapPort}";

    /// <summary>The running cluster (for fault injection such as taking a broker down); null until the app starts.</summary>
    public MockKafkaCluster? Cluster { get; private set; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{_bootstrapServers}");

    internal void Started(MockKafkaCluster cluster)
    {
        Cluster = cluster;
        _bootstrapServers.Resolve(cluster.BootstrapServers);
    }

    internal void FailedToStart(Exception error) => _bootstrapServers.Fail(error);

    internal MockKafkaCluster? Stopped()
    {
        var cluster = Cluster;
        Cluster = null;
        return cluster;
    }
}
