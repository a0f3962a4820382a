using System.Diagnostics.Metrics;
using TaxiAspire.ServiceDefaults;

namespace TaxiAspire.StreamProcessor.Processing;

/// <summary>The processor's instruments, on the service meter.</summary>
internal sealed class StreamProcessorMetrics
{
    private readonly Counter<long> _tripsStored;
    private readonly Counter<long> _tripsDuplicate;
    private readonly Counter<long> _rejected;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _endToEndLatency;

    public StreamProcessorMetrics(ServiceTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var meter = telemetry.Meter;
        _tripsStored = meter.CreateCounter<long>("taxi.trips.stored", "{trip}", "Valid trips inserted into taxidb.");
        _tripsDuplicate = meter.CreateCounter<long>("taxi.trips.duplicates", "{trip}", "Trips seen again and not stored twice.");
        _rejected = meter.CreateCounter<long>("taxi.trips.rejected", "{message}", "Messages rejected, by reason.");
        _batchSize = meter.CreateHistogram<int>("taxi.batch.size", "{message}", "Messages per committed micro-batch.");
        _endToEndLatency = meter.CreateHistogram<double>("taxi.trips.end_to_end.duration", "s", "From the Kafka message timestamp to the batch commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public void BatchCommitted(int messages, int inserted, int duplicates)
    {
        _batchSize.Record(messages);
        _tripsStored.Add(inserted);
        _tripsDuplicate.Add(duplicates);
    }

    public void Rejected(string reasonCode) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public void EndToEnd(TimeSpan latency) => _endToEndLatency.Record(latency.TotalSeconds);
}
