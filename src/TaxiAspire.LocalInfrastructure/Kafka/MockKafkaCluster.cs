using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TaxiAspire.LocalInfrastructure.Kafka.Native;

namespace TaxiAspire.LocalInfrastructure.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka protocol on 127.0.0.1, brokers on random ports, state in memory.
/// Retention is fixed by librdkafka (about 5 MiB or 100,000 batches per partition) and topics are created through
/// this API, since the mock does not serve CreateTopics.
/// </summary>
public sealed partial class MockKafkaCluster : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly RdKafkaLibrary _library;
    private readonly RdKafkaMockApi _api;
    private readonly nint _handle;
    private readonly nint _cluster;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _downBrokers = [];
    private BootstrapForwarder? _forwarder;
    private bool _disposed;

    private MockKafkaCluster(RdKafkaLibrary library, RdKafkaMockApi api, nint handle, nint cluster, ILogger logger)
    {
        _library = library;
        _api = api;
        _handle = handle;
        _cluster = cluster;
        _logger = logger;
        BootstrapServers = api.GetBootstraps(cluster);
    }

    /// <summary>The mock brokers' own addresses (127.0.0.1:random), for clients in this machine.</summary>
    public string BootstrapServers { get; }

    /// <summary>The forwarder's "localhost:port", or null when the cluster runs without one.</summary>
    public string? ExternalBootstrapServers => _forwarder is { } forwarder ? $"localhost:{forwarder.Port}" : null;

    public int? BootstrapPort => _forwarder?.Port;

    public IReadOnlyList<MockBroker> Brokers { get; private set; } = [];

    /// <summary>The librdkafka file the cluster and Confluent.Kafka's clients share.</summary>
    public string LibraryPath => _library.Path;

    public static MockKafkaCluster Start(MockKafkaClusterOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BrokerCount, 1);
        logger ??= NullLogger.Instance;

        var library = RdKafkaLibrary.Load();
        var api = new RdKafkaMockApi(library);
        nint handle = 0;
        MockKafkaCluster? cluster = null;
        try
        {
            handle = api.CreateProducerHandle(new Dictionary<string, string>
            {
                ["client.id"] = "taxiaspire-mock-cluster",
                // The handle only hosts the mock brokers' threads; its own connection attempts would just log noise.
                ["log_level"] = "3",
            });
            var mock = api.CreateMockCluster(handle, options.BrokerCount);
            if (mock == 0)
            {
                throw new MockKafkaUnavailableException("rd_kafka_mock_cluster_new returned no cluster.");
            }

            cluster = new MockKafkaCluster(library, api, handle, mock, logger);
            api.SetGroupInitialRebalanceDelay(mock, (int)options.GroupInitialRebalanceDelay.TotalMilliseconds);
            foreach (var topic in options.Topics)
            {
                cluster.CreateTopic(topic.Name, topic.Partitions);
            }

            cluster.Brokers = cluster.ReadBrokers();
            if (options.BootstrapPort is { } port)
            {
                cluster._forwarder = BootstrapForwarder.Start(port, cluster.UpBrokers, logger);
            }

            LogStarted(logger, options.BrokerCount, cluster.BootstrapServers, cluster.ExternalBootstrapServers ?? "none",
                library.Path);
            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                cluster.Dispose();
            }
            else
            {
                if (handle != 0)
                {
                    api.DestroyHandle(handle);
                }

                library.Dispose();
            }

            throw;
        }
    }

    /// <summary>Creates a topic with replication factor min(3, brokers); an existing name is an error.</summary>
    public void CreateTopic(string name, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ThrowIfDisposed();

        var replication = Math.Max(1, Math.Min(3, Brokers.Count == 0 ? 3 : Brokers.Count));
        var error = _api.CreateTopic(_cluster, name, partitions, replication);
        if (error == (int)ErrorCode.InvalidReplicationFactor)
        {
            error = _api.CreateTopic(_cluster, name, partitions, 1);
        }

        if (error != 0)
        {
            throw new InvalidOperationException(
                $"Creating mock topic '{name}' ({partitions} partitions) failed: {_api.DescribeError(error)}");
        }

        LogTopicCreated(_logger, name, partitions);
    }

    /// <summary>Disconnects the broker and refuses new connections to it until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ThrowIfDisposed();
        ThrowOnError(_api.SetBrokerDown(_cluster, brokerId), $"setting broker {brokerId} down");
        lock (_gate)
        {
            _downBrokers.Add(brokerId);
        }

        LogBrokerDown(_logger, brokerId);
    }

    public void SetBrokerUp(int brokerId)
    {
        ThrowIfDisposed();
        ThrowOnError(_api.SetBrokerUp(_cluster, brokerId), $"setting broker {brokerId} up");
        lock (_gate)
        {
            _downBrokers.Remove(brokerId);
        }

        LogBrokerUp(_logger, brokerId);
    }

    public bool IsBrokerUp(int brokerId)
    {
        lock (_gate)
        {
            return Brokers.Any(b => b.Id == brokerId) && !_downBrokers.Contains(brokerId);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Sync-over-async is bounded here: the forwarder's shutdown waits at most a few seconds.
        _forwarder?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        DestroyNative();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        DestroyNative();
    }

    private void DestroyNative()
    {
        _api.DestroyMockCluster(_cluster);
        _api.DestroyHandle(_handle);
        _library.Dispose();
        LogStopped(_logger);
    }

    private List<MockBroker> UpBrokers()
    {
        lock (_gate)
        {
            return Brokers.Where(b => !_downBrokers.Contains(b.Id)).ToList();
        }
    }

    /// <summary>
    /// Broker ids and ports from the cluster's own metadata: the bootstrap list does not say which port is which id,
    /// and the forwarder must skip brokers that are down.
    /// </summary>
    private List<MockBroker> ReadBrokers()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = BootstrapServers,
                ClientId = "taxiaspire-mock-cluster-metadata",
            })
            .SetLogHandler((_, _) => { })
            .Build();
        var metadata = admin.GetMetadata(MetadataTimeout);
        return metadata.Brokers
            .Select(b => new MockBroker(b.BrokerId, b.Host, b.Port))
            .OrderBy(b => b.Id)
            .ToList();
    }

    private void ThrowOnError(int error, string action)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Mock cluster failed {action}: {_api.DescribeError(error)}");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Kafka mock cluster started: {BrokerCount} brokers at {BootstrapServers}, external bootstrap {External}, librdkafka {LibraryPath}")]
    private static partial void LogStarted(
        ILogger logger, int brokerCount, string bootstrapServers, string external, string libraryPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mock topic {Topic} created with {Partitions} partitions")]
    private static partial void LogTopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mock broker {BrokerId} set down")]
    private static partial void LogBrokerDown(ILogger logger, int brokerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mock broker {BrokerId} set up")]
    private static partial void LogBrokerUp(ILogger logger, int brokerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka mock cluster stopped")]
    private static partial void LogStopped(ILogger logger);
}
