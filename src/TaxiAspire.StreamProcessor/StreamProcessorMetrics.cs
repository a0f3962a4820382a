using System.Diagnostics.Metrics;
using TaxiAspire.ServiceDefaults;

namespace TaxiAspire.StreamProcessor;

/// <summary>
/// The processor's instruments, on the service meter. Consumer lag per partition comes from the Kafka client
/// integration (<c>messaging.kafka.consumer.lag</c>, from librdkafka statistics and the offsets committed here).
/// </summary>
internal sealed class StreamProcessorMetrics
{
    private readonly Counter<long> _tripsStored;
    private readonly Counter<long> _tripsDuplicate;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _windowsClosed;
    private readonly Counter<long> _windowsPublished;
    private readonly Counter<long> _databaseRetries;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _endToEndLatency;
    private int _batchesInFlight;

    public StreamProcessorMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var meter = telemetry.Meter;
        _tripsStored = meter.CreateCounter<long>("taxi.trips.stored", "{trip}", "Valid trips inserted into taxidb.");
        _tripsDuplicate = meter.CreateCounter<long>("taxi.trips.duplicates", "{trip}", "Trips seen again and not stored twice.");
        _rejected = meter.CreateCounter<long>("taxi.trips.rejected", "{message}", "Messages rejected, by reason.");
        _windowsClosed = meter.CreateCounter<long>("taxi.windows.closed", "{window}", "Windows the watermark closed.");
        _windowsPublished = meter.CreateCounter<long>("taxi.windows.published", "{window}", "Closed windows published to the windows topic.");
        _databaseRetries = meter.CreateCounter<long>("taxi.batch.database_retries", "{retry}", "Batch writes retried because PostgreSQL did not answer.");
        _batchSize = meter.CreateHistogram<int>("taxi.batch.size", "{message}", "Messages per committed micro-batch.");
        _endToEndLatency = meter.CreateHistogram<double>("taxi.trips.end_to_end.duration", "s", "From the Kafka message timestamp to the batch commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        meter.CreateObservableGauge("taxi.batches.in_flight", () => Volatile.Read(ref _batchesInFlight), "{batch}",
            "Built batches waiting for the database; at the configured maximum the consumer pauses.");
    }

    public void BatchCommitted(int messages, int inserted, int duplicates, int windowsClosed)
    {
        _batchSize.Record(messages);
        _tripsStored.Add(inserted);
        _tripsDuplicate.Add(duplicates);
        _windowsClosed.Add(windowsClosed);
    }

    public void Rejected(string reasonCode) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public void EndToEnd(TimeSpan latency) => _endToEndLatency.Record(latency.TotalSeconds);

    public void DatabaseRetry() => _databaseRetries.Add(1);

    public void WindowsPublished(int count) => _windowsPublished.Add(count);

    public void BatchesInFlight(int count) => Volatile.Write(ref _batchesInFlight, count);
}
