using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.ServiceDefaults.Kafka.Statistics;

/// <summary>
/// Publishes librdkafka statistics as OpenTelemetry instruments on the service's <see cref="Meter"/>.
/// Clients hand over the raw JSON from their statistics callback (librdkafka's poll thread, which must not be slowed
/// down); it is parsed only when a metrics reader collects, at most once per statistics interval.
/// </summary>
internal sealed class KafkaStatisticsMetrics
{
    /// <summary>A client that stopped reporting (disposed) drops out after this many statistics intervals.</summary>
    private const int StaleAfterIntervals = 3;

    private static readonly TimeSpan MinimumStaleness = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ClientSnapshot> _clients = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public KafkaStatisticsMetrics(ServiceTelemetry telemetry, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger(KafkaClientLog.CategoryName);
        var meter = telemetry.Meter;

        meter.CreateObservableCounter(KafkaMetricNames.NetworkIo,
            () => Observe(static (s, add) =>
            {
                add(s.TransmittedBytes, KafkaMetricNames.Transmit);
                add(s.ReceivedBytes, KafkaMetricNames.Receive);
            }),
            unit: "By", description: "Bytes sent to and received from Kafka brokers, framing included.");

        meter.CreateObservableCounter(KafkaMetricNames.RequestsSent,
            () => Observe(static (s, add) => add(s.Requests, null)),
            unit: "{request}", description: "Requests sent to Kafka brokers.");

        meter.CreateObservableCounter(KafkaMetricNames.ResponsesReceived,
            () => Observe(static (s, add) => add(s.Responses, null)),
            unit: "{response}", description: "Responses received from Kafka brokers.");

        meter.CreateObservableCounter(KafkaMetricNames.Messages,
            () => Observe(static (s, add) =>
            {
                add(s.TransmittedMessages, KafkaMetricNames.Transmit);
                add(s.ReceivedMessages, KafkaMetricNames.Receive);
            }),
            unit: "{message}", description: "Messages produced to and consumed from Kafka brokers.");

        meter.CreateObservableCounter(KafkaMetricNames.MessagesIo,
            () => Observe(static (s, add) =>
            {
                add(s.TransmittedMessageBytes, KafkaMetricNames.Transmit);
                add(s.ReceivedMessageBytes, KafkaMetricNames.Receive);
            }),
            unit: "By", description: "Bytes of messages produced and consumed, message framing included.");

        meter.CreateObservableUpDownCounter(KafkaMetricNames.ReplyQueueOperations,
            () => Observe(static (s, add) => add(s.ReplyQueue, null)),
            unit: "{operation}", description: "Callbacks and events waiting for the application to poll the client.");

        meter.CreateObservableUpDownCounter(KafkaMetricNames.ProducerQueueMessages,
            () => Observe(static (s, add) =>
            {
                if (s.Type == "producer")
                {
                    add(s.MessageCount, null);
                }
            }),
            unit: "{message}", description: "Messages waiting in the producer's queues to be delivered.");

        meter.CreateObservableUpDownCounter(KafkaMetricNames.ProducerQueueSize,
            () => Observe(static (s, add) =>
            {
                if (s.Type == "producer")
                {
                    add(s.MessageSize, null);
                }
            }),
            unit: "By", description: "Bytes of messages waiting in the producer's queues to be delivered.");

        meter.CreateObservableGauge(KafkaMetricNames.ConsumerLag, ObserveConsumerLag,
            unit: "{message}", description: "Messages between a partition's high watermark and the consumer's position.");
    }

    /// <summary>Called from a client's statistics callback: stores the JSON, nothing more.</summary>
    public void Record(string clientName, string json, string? consumerGroup, TimeSpan statisticsInterval)
    {
        var staleAfter = statisticsInterval * StaleAfterIntervals;
        _clients[clientName] = new ClientSnapshot(
            clientName, json, consumerGroup, _timeProvider.GetUtcNow(), staleAfter > MinimumStaleness ? staleAfter : MinimumStaleness);
    }

    private List<Measurement<long>> Observe(Action<KafkaStatistics, Action<long, string?>> read)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (snapshot, statistics) in CurrentClients())
        {
            var tags = snapshot.Tags;
            read(statistics, (value, direction) => measurements.Add(direction is null
                ? new Measurement<long>(value, tags)
                : new Measurement<long>(value, [.. tags, new(KafkaMetricNames.NetworkIoDirection, direction)])));
        }

        return measurements;
    }

    private List<Measurement<long>> ObserveConsumerLag()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (snapshot, statistics) in CurrentClients())
        {
            if (statistics.Type != "consumer" || statistics.Topics is null)
            {
                continue;
            }

            foreach (var topic in statistics.Topics.Values)
            {
                foreach (var partition in topic.Partitions?.Values ?? Enumerable.Empty<KafkaPartitionStatistics>())
                {
                    // -1 partition is librdkafka's internal queue; -1 lag means "not assigned to this consumer or unknown".
                    if (partition.Partition < 0 || partition.ConsumerLag < 0)
                    {
                        continue;
                    }

                    measurements.Add(new Measurement<long>(partition.ConsumerLag,
                    [
                        .. snapshot.Tags,
                        new(KafkaSemanticConventions.DestinationName, topic.Topic),
                        new(KafkaSemanticConventions.PartitionId, partition.Partition.ToString(CultureInfo.InvariantCulture)),
                        new(KafkaSemanticConventions.ConsumerGroupName, snapshot.ConsumerGroup),
                    ]));
                }
            }
        }

        return measurements;
    }

    private IEnumerable<(ClientSnapshot Snapshot, KafkaStatistics Statistics)> CurrentClients()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var entry in _clients)
        {
            var snapshot = entry.Value;
            if (now - snapshot.ReceivedAt > snapshot.StaleAfter)
            {
                // Removes only this snapshot: a fresher one stored meanwhile stays.
                _clients.TryRemove(entry);
                continue;
            }

            if (snapshot.GetStatistics(_logger) is { } statistics)
            {
                yield return (snapshot, statistics);
            }
        }
    }

    private sealed class ClientSnapshot(string clientName, string json, string? consumerGroup, DateTimeOffset receivedAt, TimeSpan staleAfter)
    {
        private readonly Lock _parseLock = new();
        private KafkaStatistics? _statistics;
        private bool _parsed;

        public string? ConsumerGroup { get; } = consumerGroup;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public TimeSpan StaleAfter { get; } = staleAfter;

        public KeyValuePair<string, object?>[] Tags { get; private set; } = [];

        /// <summary>Parses once, on the first collection that needs it; every instrument then reads the same object.</summary>
        public KafkaStatistics? GetStatistics(ILogger logger)
        {
            lock (_parseLock)
            {
                if (!_parsed)
                {
                    _parsed = true;
                    _statistics = Parse(logger);
                    if (_statistics is not null)
                    {
                        Tags =
                        [
                            new(KafkaSemanticConventions.MessagingSystem, KafkaSemanticConventions.MessagingSystemValue),
                            new(KafkaSemanticConventions.ClientId, _statistics.ClientId),
                            new(KafkaMetricNames.ClientName, _statistics.Name),
                            new(KafkaMetricNames.ClientType, _statistics.Type),
                        ];
                    }
                }

                return _statistics;
            }
        }

        private KafkaStatistics? Parse(ILogger logger)
        {
            try
            {
                return JsonSerializer.Deserialize(json, KafkaStatisticsJsonContext.Default.KafkaStatistics);
            }
            catch (JsonException ex)
            {
                KafkaClientLog.StatisticsUnreadable(logger, clientName, ex);
                return null;
            }
        }
    }
}
