using Confluent.Kafka;

namespace TaxiAspire.Producer.Publishing;

/// <summary>
/// Hands encoded trips to the registered (idempotent) Kafka producer. Memory stays bounded: when librdkafka's queue is
/// full, which is what a slow or unreachable broker looks like from here, the sink waits with a growing backoff
/// instead of buffering more or crashing. Delivery failures are counted and logged (not every one: a broker outage
/// fails thousands at once).
/// </summary>
internal sealed partial class KafkaTripSink
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(5);

    private readonly IProducer<string, byte[]> _producer;
    private readonly ProducerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<DeliveryReport<string, byte[]>> _onDelivery;
    private long _failures;

    public KafkaTripSink(IProducer<string, byte[]> producer, string topic, ProducerMetrics metrics, TimeProvider time, ILogger<KafkaTripSink> logger)
    {
        _producer = producer;
        Topic = topic;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        // One delegate for all messages, not a closure per message.
        _onDelivery = OnDelivery;
    }

    public string Topic { get; }

    public long DeliveryFailures => Interlocked.Read(ref _failures);

    /// <summary>Enqueues one message; completes synchronously unless the client's queue is full.</summary>
    public ValueTask PublishAsync(string key, byte[] value, bool dirty, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]> { Key = key, Value = value };
        if (TryProduce(message))
        {
            _metrics.Published(dirty);
            return ValueTask.CompletedTask;
        }

        return PublishSlowAsync(message, dirty, cancellationToken);
    }

    /// <summary>Waits until every enqueued message is delivered or failed, or <paramref name="timeout"/> passes.</summary>
    /// <returns>The number of messages still in flight.</returns>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    private async ValueTask PublishSlowAsync(Message<string, byte[]> message, bool dirty, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var backoff = MinBackoff;
        var warned = false;
        do
        {
            _metrics.QueueFull();
            if (!warned && _time.GetElapsedTime(started) > StalledAfter)
            {
                warned = true;
                LogStalled(_logger, Topic, StalledAfter.TotalSeconds);
            }

            await Task.Delay(backoff, _time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
        while (!TryProduce(message));

        if (warned)
        {
            var stalled = _time.GetElapsedTime(started).TotalSeconds;
            LogResumed(_logger, Topic, stalled);
        }

        _metrics.Published(dirty);
    }

    private bool TryProduce(Message<string, byte[]> message)
    {
        try
        {
            _producer.Produce(Topic, message, _onDelivery);
            return true;
        }
        catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false;
        }
    }

    private void OnDelivery(DeliveryReport<string, byte[]> report)
    {
        if (!report.Error.IsError)
        {
            return;
        }

        var count = Interlocked.Increment(ref _failures);
        var error = report.Error;
        _metrics.DeliveryFailed(error.Code.ToString());
        // The first failures, then one line per 10,000: an outage must be visible without flooding the log.
        if (count <= 10 || count % 10_000 == 0)
        {
            LogDeliveryFailed(_logger, count, Topic, error.Code, error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka has not accepted trips for {Seconds} s (queue full): is the broker for {Topic} reachable? Waiting with backoff")]
    private static partial void LogStalled(ILogger logger, string topic, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka accepts trips for {Topic} again after {Seconds:F1} s")]
    private static partial void LogResumed(ILogger logger, string topic, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery failure #{Count} on {Topic}: {Code} {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, long count, string topic, ErrorCode code, string reason);
}
