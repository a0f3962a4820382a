using System.Runtime.InteropServices;
using System.Text;

namespace TaxiAspire.LocalInfrastructure.Kafka.Native;

/// <summary>
/// The few librdkafka entry points the mock cluster needs, bound as unmanaged function pointers on the library
/// Confluent.Kafka loaded (see <see cref="RdKafkaLibrary"/>). Signatures follow rdkafka.h / rdkafka_mock.h 2.x.
/// </summary>
internal sealed unsafe class RdKafkaMockApi
{
    private const int RdKafkaProducer = 0;
    private const int ConfOk = 0;
    private const int ErrorBufferSize = 512;

    private readonly delegate* unmanaged<nint> _confNew;
    private readonly delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int> _confSet;
    private readonly delegate* unmanaged<nint, void> _confDestroy;
    private readonly delegate* unmanaged<int, nint, byte*, nuint, nint> _new;
    private readonly delegate* unmanaged<nint, void> _destroy;
    private readonly delegate* unmanaged<int, nint> _err2str;
    private readonly delegate* unmanaged<nint, int, nint> _mockClusterNew;
    private readonly delegate* unmanaged<nint, void> _mockClusterDestroy;
    private readonly delegate* unmanaged<nint, nint> _mockClusterBootstraps;
    private readonly delegate* unmanaged<nint, byte*, int, int, int> _mockTopicCreate;
    private readonly delegate* unmanaged<nint, int, void> _mockGroupInitialRebalanceDelayMs;
    private readonly delegate* unmanaged<nint, int, int> _mockBrokerSetDown;
    private readonly delegate* unmanaged<nint, int, int> _mockBrokerSetUp;

    public RdKafkaMockApi(RdKafkaLibrary library)
    {
        _confNew = (delegate* unmanaged<nint>)library.GetExport("rd_kafka_conf_new");
        _confSet = (delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int>)library.GetExport("rd_kafka_conf_set");
        _confDestroy = (delegate* unmanaged<nint, void>)library.GetExport("rd_kafka_conf_destroy");
        _new = (delegate* unmanaged<int, nint, byte*, nuint, nint>)library.GetExport("rd_kafka_new");
        _destroy = (delegate* unmanaged<nint, void>)library.GetExport("rd_kafka_destroy");
        _err2str = (delegate* unmanaged<int, nint>)library.GetExport("rd_kafka_err2str");
        _mockClusterNew = (delegate* unmanaged<nint, int, nint>)library.GetExport("rd_kafka_mock_cluster_new");
        _mockClusterDestroy = (delegate* unmanaged<nint, void>)library.GetExport("rd_kafka_mock_cluster_destroy");
        _mockClusterBootstraps = (delegate* unmanaged<nint, nint>)library.GetExport("rd_kafka_mock_cluster_bootstraps");
        _mockTopicCreate = (delegate* unmanaged<nint, byte*, int, int, int>)library.GetExport("rd_kafka_mock_topic_create");
        _mockGroupInitialRebalanceDelayMs =
            (delegate* unmanaged<nint, int, void>)library.GetExport("rd_kafka_mock_group_initial_rebalance_delay_ms");
        _mockBrokerSetDown = (delegate* unmanaged<nint, int, int>)library.GetExport("rd_kafka_mock_broker_set_down");
        _mockBrokerSetUp = (delegate* unmanaged<nint, int, int>)library.GetExport("rd_kafka_mock_broker_set_up");
    }

    /// <summary>Creates the producer handle that owns the mock cluster's threads.</summary>
    public nint CreateProducerHandle(IReadOnlyDictionary<string, string> config)
    {
        var conf = _confNew();
        var errors = stackalloc byte[ErrorBufferSize];
        foreach (var (name, value) in config)
        {
            fixed (byte* namePtr = Utf8(name))
            fixed (byte* valuePtr = Utf8(value))
            {
                if (_confSet(conf, namePtr, valuePtr, errors, ErrorBufferSize) != ConfOk)
                {
                    _confDestroy(conf);
                    throw new InvalidOperationException($"librdkafka rejected {name}={value}: {ReadUtf8(errors)}");
                }
            }
        }

        // On success rd_kafka_new owns conf; on failure it is still ours.
        var handle = _new(RdKafkaProducer, conf, errors, ErrorBufferSize);
        if (handle == 0)
        {
            _confDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {ReadUtf8(errors)}");
        }

        return handle;
    }

    public void DestroyHandle(nint handle) => _destroy(handle);

    public nint CreateMockCluster(nint handle, int brokerCount) => _mockClusterNew(handle, brokerCount);

    public void DestroyMockCluster(nint cluster) => _mockClusterDestroy(cluster);

    public string GetBootstraps(nint cluster) =>
        Marshal.PtrToStringUTF8(_mockClusterBootstraps(cluster)) ?? string.Empty;

    public int CreateTopic(nint cluster, string topic, int partitions, int replicationFactor)
    {
        fixed (byte* topicPtr = Utf8(topic))
        {
            return _mockTopicCreate(cluster, topicPtr, partitions, replicationFactor);
        }
    }

    public void SetGroupInitialRebalanceDelay(nint cluster, int delayMs) =>
        _mockGroupInitialRebalanceDelayMs(cluster, delayMs);

    public int SetBrokerDown(nint cluster, int brokerId) => _mockBrokerSetDown(cluster, brokerId);

    public int SetBrokerUp(nint cluster, int brokerId) => _mockBrokerSetUp(cluster, brokerId);

    public string DescribeError(int errorCode) => Marshal.PtrToStringUTF8(_err2str(errorCode)) ?? $"error {errorCode}";

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + '\0');

    private static string ReadUtf8(byte* buffer) => Marshal.PtrToStringUTF8((nint)buffer) ?? string.Empty;
}
