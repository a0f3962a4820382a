using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Kafka;
using TaxiAspire.ServiceDefaults.Kafka.Statistics;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>librdkafka statistics JSON to OpenTelemetry instruments, without a broker.</summary>
public sealed class KafkaStatisticsMetricsTests : IDisposable
{
    // Trimmed from a real consumer's statistics (librdkafka 2.16): brokers and most per-partition fields left out,
    // the internal "-1" partition and an unassigned partition (lag -1) kept.
    private const string ConsumerStatistics = """
        {
          "name": "rdkafka#consumer-3", "client_id": "stream-processor", "type": "consumer",
          "ts": 5016483227792, "time": 1527060869, "age": 5000000,
          "replyq": 2, "msg_cnt": 0, "msg_size": 0, "msg_max": 100000, "msg_size_max": 1073741824,
          "tx": 120, "tx_bytes": 9000, "rx": 118, "rx_bytes": 250000,
          "txmsgs": 0, "txmsg_bytes": 0, "rxmsgs": 1500, "rxmsg_bytes": 210000,
          "brokers": { "localhost:9092/1": { "name": "localhost:9092/1", "nodeid": 1, "state": "UP", "rtt": { "avg": 500 } } },
          "topics": {
            "taxi_trips": {
              "topic": "taxi_trips", "age": 5000, "metadata_age": 1000,
              "batchsize": { "min": 0, "max": 0 },
              "partitions": {
                "0": { "partition": 0, "leader": 1, "fetch_state": "active", "hi_offset": 800, "committed_offset": 700, "consumer_lag": 42, "consumer_lag_stored": 100 },
                "1": { "partition": 1, "leader": 1, "fetch_state": "none", "hi_offset": -1, "consumer_lag": -1 },
                "-1": { "partition": -1, "leader": -1, "consumer_lag": -1 }
              }
            }
          },
          "cgrp": { "state": "up", "join_state": "steady", "rebalance_cnt": 1, "assignment_size": 1 }
        }
        """;

    private const string ProducerStatistics = """
        {
          "name": "rdkafka#producer-1", "client_id": "producer", "type": "producer",
          "replyq": 0, "msg_cnt": 17, "msg_size": 4096,
          "tx": 10, "tx_bytes": 100000, "rx": 10, "rx_bytes": 800,
          "txmsgs": 900, "txmsg_bytes": 95000, "rxmsgs": 0, "rxmsg_bytes": 0,
          "topics": { "taxi_trips": { "topic": "taxi_trips", "partitions": { "0": { "partition": 0, "consumer_lag": -1 } } } }
        }
        """;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ServiceProvider _services;
    private readonly KafkaStatisticsMetrics _metrics;
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly string _meterName = $"TaxiAspire.Tests.{Guid.NewGuid():N}";

    public KafkaStatisticsMetricsTests()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ApplicationName = _meterName });
        services.AddSingleton<ServiceTelemetry>();
        _services = services.BuildServiceProvider();

        _metrics = new KafkaStatisticsMetrics(_services.GetRequiredService<ServiceTelemetry>(), _time, NullLoggerFactory.Instance);

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == _meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                tagMap[tag.Key] = tag.Value;
            }

            _measurements.Add((instrument.Name, value, tagMap));
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void Consumer_lag_is_published_per_assigned_partition_with_topic_partition_and_group()
    {
        _metrics.Record("rdkafka#consumer-3", ConsumerStatistics, "stream-processor", TimeSpan.FromSeconds(5));

        var lag = Collect(KafkaMetricNames.ConsumerLag);

        var only = Assert.Single(lag);
        Assert.Equal(42, only.Value);
        Assert.Equal("taxi_trips", only.Tags[KafkaSemanticConventions.DestinationName]);
        Assert.Equal("0", only.Tags[KafkaSemanticConventions.PartitionId]);
        Assert.Equal("stream-processor", only.Tags[KafkaSemanticConventions.ConsumerGroupName]);
        Assert.Equal("rdkafka#consumer-3", only.Tags[KafkaMetricNames.ClientName]);
        Assert.Equal("kafka", only.Tags[KafkaSemanticConventions.MessagingSystem]);
    }

    [Fact]
    public void Traffic_counters_report_librdkafka_totals_by_direction()
    {
        _metrics.Record("rdkafka#consumer-3", ConsumerStatistics, "stream-processor", TimeSpan.FromSeconds(5));
        _metrics.Record("rdkafka#producer-1", ProducerStatistics, null, TimeSpan.FromSeconds(5));

        var io = Collect(KafkaMetricNames.NetworkIo);
        Assert.Equal(250000, Value(io, "rdkafka#consumer-3", KafkaMetricNames.Receive));
        Assert.Equal(9000, Value(io, "rdkafka#consumer-3", KafkaMetricNames.Transmit));
        Assert.Equal(100000, Value(io, "rdkafka#producer-1", KafkaMetricNames.Transmit));

        var messages = Collect(KafkaMetricNames.Messages);
        Assert.Equal(1500, Value(messages, "rdkafka#consumer-3", KafkaMetricNames.Receive));
        Assert.Equal(900, Value(messages, "rdkafka#producer-1", KafkaMetricNames.Transmit));

        Assert.Equal(2, Assert.Single(Collect(KafkaMetricNames.ReplyQueueOperations), m => (string?)m.Tags[KafkaMetricNames.ClientName] == "rdkafka#consumer-3").Value);
        Assert.Equal(120, Assert.Single(Collect(KafkaMetricNames.RequestsSent), m => (string?)m.Tags[KafkaMetricNames.ClientName] == "rdkafka#consumer-3").Value);

        // Producer queues only for producers; consumer lag only for consumers.
        var queued = Assert.Single(Collect(KafkaMetricNames.ProducerQueueMessages));
        Assert.Equal(17, queued.Value);
        Assert.Equal("producer", queued.Tags[KafkaMetricNames.ClientType]);
        Assert.Equal(4096, Assert.Single(Collect(KafkaMetricNames.ProducerQueueSize)).Value);
        Assert.All(Collect(KafkaMetricNames.ConsumerLag), m => Assert.Equal("consumer", m.Tags[KafkaMetricNames.ClientType]));
    }

    [Fact]
    public void The_newest_statistics_of_a_client_replace_the_previous_ones()
    {
        _metrics.Record("rdkafka#consumer-3", ConsumerStatistics, "g", TimeSpan.FromSeconds(5));
        _metrics.Record("rdkafka#consumer-3", ConsumerStatistics.Replace("\"consumer_lag\": 42", "\"consumer_lag\": 7", StringComparison.Ordinal), "g", TimeSpan.FromSeconds(5));

        Assert.Equal(7, Assert.Single(Collect(KafkaMetricNames.ConsumerLag)).Value);
    }

    [Fact]
    public void A_client_that_stops_reporting_drops_out()
    {
        _metrics.Record("rdkafka#consumer-3", ConsumerStatistics, "g", TimeSpan.FromSeconds(20));
        Assert.Single(Collect(KafkaMetricNames.ConsumerLag));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(Collect(KafkaMetricNames.ConsumerLag));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(Collect(KafkaMetricNames.ConsumerLag));
    }

    [Fact]
    public void Unreadable_statistics_publish_nothing_and_do_not_throw()
    {
        _metrics.Record("rdkafka#producer-9", "{ not json", null, TimeSpan.FromSeconds(5));

        Assert.Empty(Collect(KafkaMetricNames.NetworkIo));
    }

    private List<(string Instrument, long Value, Dictionary<string, object?> Tags)> Collect(string instrument)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument).ToList();
    }

    private static long Value(List<(string Instrument, long Value, Dictionary<string, object?> Tags)> measurements, string client, string direction)
        => Assert.Single(measurements, m =>
            (string?)m.Tags[KafkaMetricNames.ClientName] == client
            && (string?)m.Tags[KafkaMetricNames.NetworkIoDirection] == direction).Value;
}
