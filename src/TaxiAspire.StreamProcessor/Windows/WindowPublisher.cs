using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>
/// Publishes each closed window once to the windows topic. Closing happens in the batch transaction (an outbox row in
/// PostgreSQL); publishing happens here, on one replica at a time (<see cref="WindowPublisherLease"/>). "Once" holds
/// across crashes because sequence numbers are committed before producing, the producer is idempotent and ordered
/// per partition, and a new leader first reads each partition's last message to learn what already arrived.
/// </summary>
internal sealed partial class WindowPublisher(
    WindowPublicationStore store,
    WindowProducerFactory producerFactory,
    StreamProcessorMetrics metrics,
    IOptions<StreamProcessorOptions> options,
    TimeProvider timeProvider,
    ILogger<WindowPublisher> logger) : BackgroundService
{
    public const string SequenceHeader = "x-window-seq";
    public const string DatabaseHeader = "x-window-db";
    private const int MaxPerRound = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var producer = producerFactory.CreateProducer(settings.WindowDeliveryTimeout);
        WindowPublisherLease? lease = null;
        var recovered = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (lease is null)
                    {
                        lease = await store.TryAcquireAsync(stoppingToken);
                        recovered = false;
                        if (lease is not null)
                        {
                            LogLeader(logger);
                            // A previous leader's last deliveries land or fail within its delivery timeout.
                            await Task.Delay(settings.WindowDeliveryTimeout + TimeSpan.FromSeconds(1), timeProvider, stoppingToken);
                        }
                    }

                    if (lease is not null)
                    {
                        if (!recovered)
                        {
                            var confirmed = await lease.MarkDeliveredUpToAsync(ReadLastSequences(settings.WindowsTopic, lease.InstanceId), stoppingToken);
                            LogRecovered(logger, confirmed);
                            recovered = true;
                        }

                        await PublishRoundAsync(producer, lease, settings.WindowsTopic, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Kafka or PostgreSQL failed mid-round: some messages may have arrived. Start over from the lease,
                    // and read the topic's tail again before producing anything.
                    LogRoundFailed(logger, ex.Message, ex);
                    recovered = false;
                    if (ex is Npgsql.NpgsqlException or InvalidOperationException && lease is not null)
                    {
                        await lease.DisposeAsync();
                        lease = null;
                    }
                }

                await Task.Delay(settings.WindowPublishInterval, timeProvider, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            if (lease is not null)
            {
                await lease.DisposeAsync();
            }
        }
    }

    private async Task PublishRoundAsync(IProducer<byte[], byte[]> producer, WindowPublisherLease lease, string topic, CancellationToken cancellationToken)
    {
        var partitions = WindowProducerFactory.PartitionCount(producer, topic);
        await lease.NumberAsync(partitions, MaxPerRound, cancellationToken);
        var pending = await lease.PendingAsync(cancellationToken);
        if (pending.Count == 0) return;

        // Produced in sequence order; the idempotent producer keeps that order within each partition.
        var deliveries = new Task[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            deliveries[i] = producer.ProduceAsync(new TopicPartition(topic, pending[i].Partition), ToMessage(pending[i], lease.InstanceId), CancellationToken.None);
        }

        // Stopping does not wait out the delivery timeout: the next leader recovers an unconfirmed round from the
        // topic's tail, as after a failed one.
        await Task.WhenAll(deliveries).WaitAsync(cancellationToken);
        await lease.MarkPublishedAsync(pending.Select(p => p.Sequence).ToArray(), cancellationToken);
        metrics.WindowsPublished(pending.Count);
        LogPublished(logger, pending.Count);
    }

    private Dictionary<int, long> ReadLastSequences(string topic, Guid instanceId)
    {
        using var reader = producerFactory.CreateTailReader();
        var result = new Dictionary<int, long>();
        foreach (var (partition, message) in WindowTopicTail.LastMessages(reader, topic, WindowProducerFactory.PartitionCount(reader, topic)))
        {
            if (message.Headers is { } headers
                && headers.TryGetLastBytes(DatabaseHeader, out var db) && Encoding.UTF8.GetString(db) == instanceId.ToString()
                && headers.TryGetLastBytes(SequenceHeader, out var seq)
                && long.TryParse(Encoding.UTF8.GetString(seq), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                result[partition] = sequence;
            }
        }

        return result;
    }

    private static Message<byte[], byte[]> ToMessage(PendingWindowPublication window, Guid instanceId)
    {
        var report = new ClosedWindowReport(
            window.Sequence, window.VendorId, window.WindowStart, window.WindowEnd, window.TripCount, window.FareSum, window.TipSum,
            window.TotalSum, window.DistanceSum, window.TripCount == 0 ? 0 : Math.Round(window.TipSum / window.TripCount, 4), window.Watermark);
        var headers = new Headers
        {
            { SequenceHeader, Encoding.UTF8.GetBytes(window.Sequence.ToString(CultureInfo.InvariantCulture)) },
            { DatabaseHeader, Encoding.UTF8.GetBytes(instanceId.ToString()) },
        };
        return new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{window.VendorId}|{window.WindowStart:O}")),
            Value = JsonSerializer.SerializeToUtf8Bytes(report, ClosedWindowJsonContext.Default.ClosedWindowReport),
            Headers = headers,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This replica now publishes closed windows")]
    private static partial void LogLeader(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window publisher recovery: {Count} numbered windows were already in the topic")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {Count} closed windows")]
    private static partial void LogPublished(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window publication round failed ({Reason}); retrying after reading the topic's tail")]
    private static partial void LogRoundFailed(ILogger logger, string reason, Exception exception);
}
