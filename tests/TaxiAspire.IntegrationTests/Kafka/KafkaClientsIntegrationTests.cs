using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.ServiceDefaults;
using TaxiAspire.ServiceDefaults.Kafka;
using TaxiAspire.ServiceDefaults.Kafka.Statistics;
using TaxiAspire.ServiceDefaults.Kafka.Tracing;

namespace TaxiAspire.IntegrationTests.Kafka;

/// <summary>
/// The clients registered by AddKafkaProducer / AddKafkaConsumer against a real Kafka protocol endpoint
/// (a broker container, or librdkafka's mock cluster when no container runtime answers).
/// </summary>
public sealed class KafkaClientsIntegrationTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Producer_and_consumer_group_round_trip_every_message()
    {
        var topic = KafkaTestHost.UniqueName("roundtrip");
        await kafka.CreateTopicAsync(topic, partitions: 3);
        using var host = BuildHost(topic);
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();

        var sent = Enumerable.Range(0, 30).Select(i => $"trip-{i}").ToList();
        foreach (var key in sent)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = $"{{\"trip_id\":\"{key}\"}}" }, Token);
        }

        var received = await ConsumeAsync(consumer, topic, sent.Count);

        Assert.Equal(sent.Order(), received.Select(r => r.Message.Key).Order());
        Assert.Equal(3, received.Select(r => r.Partition.Value).Distinct().Count());
        consumer.Close();
    }

    [Fact]
    public async Task Trace_context_crosses_the_message_headers_from_send_span_to_process_span()
    {
        var topic = KafkaTestHost.UniqueName("tracing");
        await kafka.CreateTopicAsync(topic, partitions: 2);
        using var host = BuildHost(topic);
        var source = host.Services.GetRequiredService<ServiceTelemetry>().ActivitySource;
        using var spans = new SpanCollector(source.Name);
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();

        var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = "trip-async", Value = "{}" }, Token);
        var callbackDelivered = new TaskCompletionSource<DeliveryReport<string, string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Produce(topic, new Message<string, string> { Key = "trip-callback", Value = "{}" }, callbackDelivered.SetResult);
        var report = await callbackDelivered.Task.WaitAsync(Deadline, Token);
        Assert.False(report.Error.IsError, report.Error.Reason);
        Assert.Null(Activity.Current);

        var sendSpans = spans.Stopped.Where(a => a.OperationName == $"send {topic}").ToList();
        Assert.Equal(2, sendSpans.Count);
        var asyncSpan = Assert.Single(sendSpans, a => (long?)a.GetTagItem(KafkaSemanticConventions.Offset) == delivered.Offset.Value
            && (string?)a.GetTagItem(KafkaSemanticConventions.PartitionId) == delivered.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ActivityKind.Producer, asyncSpan.Kind);
        Assert.Equal("kafka", asyncSpan.GetTagItem(KafkaSemanticConventions.MessagingSystem));
        Assert.Equal(topic, asyncSpan.GetTagItem(KafkaSemanticConventions.DestinationName));
        Assert.Equal("send", asyncSpan.GetTagItem(KafkaSemanticConventions.OperationType));
        Assert.All(sendSpans, a => Assert.Equal(ActivityStatusCode.Unset, a.Status));

        var received = await ConsumeAsync(consumer, topic, 2);
        foreach (var result in received)
        {
            Assert.True(KafkaTraceContext.TryExtract(result.Message.Headers, out var producerContext));
            var sendSpan = Assert.Single(sendSpans, a => a.SpanId == producerContext.SpanId);
            Assert.Equal(sendSpan.TraceId, producerContext.TraceId);
            Assert.Equal(result.Offset.Value, (long?)sendSpan.GetTagItem(KafkaSemanticConventions.Offset));

            using var process = source.StartProcessActivity(result, consumerGroup: "g");
            Assert.NotNull(process);
            Assert.Equal(ActivityKind.Consumer, process.Kind);
            Assert.Equal(sendSpan.TraceId, process.TraceId);
            Assert.Equal(sendSpan.SpanId, process.ParentSpanId);
        }

        using var batch = source.StartProcessBatchActivity(topic, received.Count,
            received.Select(r => new ActivityLink(KafkaTraceContext.Extract(r.Message.Headers))).ToList(), consumerGroup: "g");
        Assert.NotNull(batch);
        Assert.Equal($"process {topic}", batch.OperationName);
        Assert.Equal(sendSpans.Select(s => s.SpanId.ToHexString()).Order(), batch.Links.Select(l => l.Context.SpanId.ToHexString()).Order());
        Assert.Equal(2, batch.GetTagItem(KafkaSemanticConventions.BatchMessageCount));
        consumer.Close();
    }

    [Fact]
    public async Task Without_a_listener_the_producer_adds_no_trace_headers()
    {
        var topic = KafkaTestHost.UniqueName("untraced");
        await kafka.CreateTopicAsync(topic);
        using var host = BuildHost(topic);
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var message = new Message<string, string> { Key = "k", Value = "v" };

        await producer.ProduceAsync(topic, message, Token);

        Assert.Null(message.Headers);
    }

    [Fact]
    public async Task Librdkafka_statistics_arrive_as_metrics_on_the_service_meter()
    {
        var topic = KafkaTestHost.UniqueName("metrics");
        await kafka.CreateTopicAsync(topic, partitions: 2);
        using var host = BuildHost(topic, new Dictionary<string, string?>
        {
            ["Kafka:Producer:Config:statistics.interval.ms"] = "100",
            ["Kafka:Consumer:Config:statistics.interval.ms"] = "100",
            // Configuration reaches librdkafka: the client id shows up in the statistics.
            ["Kafka:Producer:Config:client.id"] = "metrics-producer",
        });
        var meterName = host.Services.GetRequiredService<ServiceTelemetry>().Meter.Name;
        using var meters = new MeasurementCollector(meterName);
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();

        for (var i = 0; i < 10; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = "v" }, Token);
        }

        await ConsumeAsync(consumer, topic, 10);
        // A consumer serves its statistics callback from Consume: keep polling so a snapshot after the fetch arrives.
        using (KeepPolling(consumer))
        {
            var lag = await meters.WaitForAsync(KafkaMetricNames.ConsumerLag,
                m => (string?)m.Tags[KafkaSemanticConventions.DestinationName] == topic, Deadline);
            Assert.True(lag.Value >= 0);
            Assert.Contains(lag.Tags[KafkaSemanticConventions.PartitionId], new object?[] { "0", "1" });
            Assert.Equal(consumer.Name, lag.Tags[KafkaMetricNames.ClientName]);

            var sent = await meters.WaitForAsync(KafkaMetricNames.Messages,
                m => (string?)m.Tags[KafkaSemanticConventions.ClientId] == "metrics-producer"
                     && (string?)m.Tags[KafkaMetricNames.NetworkIoDirection] == KafkaMetricNames.Transmit
                     && m.Value >= 10, Deadline);
            Assert.Equal(producer.Name, sent.Tags[KafkaMetricNames.ClientName]);

            await meters.WaitForAsync(KafkaMetricNames.NetworkIo,
                m => (string?)m.Tags[KafkaMetricNames.ClientName] == consumer.Name
                     && (string?)m.Tags[KafkaMetricNames.NetworkIoDirection] == KafkaMetricNames.Receive
                     && m.Value > 0, Deadline);
        }

        consumer.Close();
    }

    [Fact]
    public async Task Health_check_is_registered_once_per_connection_and_healthy_with_brokers_up()
    {
        var topic = KafkaTestHost.UniqueName("health");
        using var host = BuildHost(topic);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        var entry = Assert.Single(report.Entries);
        Assert.Equal($"kafka-{KafkaTestHost.ConnectionName}", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Contains("ready", entry.Value.Tags);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IHost BuildHost(string topic, IDictionary<string, string?>? configuration = null)
    {
        var builder = KafkaTestHost.CreateBuilder(kafka.BootstrapServers, configuration);
        builder.AddKafkaProducer<string, string>(KafkaTestHost.ConnectionName);
        builder.AddKafkaConsumer<string, string>(KafkaTestHost.ConnectionName, configureConfig: config =>
        {
            config.GroupId = $"{topic}-group";
            config.AutoOffsetReset = AutoOffsetReset.Earliest;
        });
        return builder.Build();
    }

    private static async Task<List<ConsumeResult<string, string>>> ConsumeAsync(IConsumer<string, string> consumer, string topic, int count)
    {
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, string>>();
        var stopwatch = Stopwatch.StartNew();
        // Consume blocks; keep it off the test's thread and bounded in time.
        await Task.Run(() =>
        {
            while (results.Count < count && stopwatch.Elapsed < Deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    results.Add(result);
                }
            }
        }, Token);

        Assert.True(results.Count == count, $"consumed {results.Count} of {count} messages within {Deadline}");
        return results;
    }

    private static PollingLoop KeepPolling(IConsumer<string, string> consumer) => new(consumer);

    /// <summary>Calls Consume in the background (a consumer's callbacks run on its Consume calls) until disposed.</summary>
    private sealed class PollingLoop : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public PollingLoop(IConsumer<string, string> consumer)
        {
            _loop = Task.Run(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }

    /// <summary>Records the spans of one source (the test host's own), as an exporter would see them.</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanCollector(string sourceName)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == sourceName,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Collects measurements of one meter (the test host's own) on demand, as a metrics reader would.</summary>
    private sealed class MeasurementCollector : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

        public MeasurementCollector(string meterName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    map[tag.Key] = tag.Value;
                }

                _measurements.Enqueue((instrument.Name, value, map));
            });
            _listener.Start();
        }

        public async Task<(long Value, Dictionary<string, object?> Tags)> WaitForAsync(
            string instrument, Func<(long Value, Dictionary<string, object?> Tags), bool> match, TimeSpan timeout)
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < timeout)
            {
                _measurements.Clear();
                _listener.RecordObservableInstruments();
                foreach (var (name, value, tags) in _measurements)
                {
                    if (name == instrument && match((value, tags)))
                    {
                        return (value, tags);
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
            }

            Assert.Fail($"No {instrument} measurement matched within {timeout}.");
            return default;
        }

        public void Dispose() => _listener.Dispose();
    }
}
