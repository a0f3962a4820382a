using System.Diagnostics.Metrics;

namespace TaxiAspire.Producer.Publishing;

/// <summary>The producer's own instruments, on the service's meter (<c>ServiceTelemetry.Meter</c>).</summary>
internal sealed class ProducerMetrics
{
    private readonly Counter<long> _trips;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _queueFullWaits;

    public ProducerMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _trips = meter.CreateCounter<long>("taxiaspire.producer.trips", "{trip}", "Trips handed to Kafka, by kind (clean or dirty).");
        _deliveryFailures = meter.CreateCounter<long>("taxiaspire.producer.delivery.failures", "{message}",
            "Messages Kafka did not acknowledge after all retries, by error code.");
        _queueFullWaits = meter.CreateCounter<long>("taxiaspire.producer.queue_full.waits", "{wait}",
            "Times the producer waited because the client's bounded queue was full (a slow or unreachable broker).");
    }

    public void Published(bool dirty) => _trips.Add(1, new KeyValuePair<string, object?>("trip.kind", dirty ? "dirty" : "clean"));

    public void DeliveryFailed(string errorCode) => _deliveryFailures.Add(1, new KeyValuePair<string, object?>("error.type", errorCode));

    public void QueueFull() => _queueFullWaits.Add(1);
}
