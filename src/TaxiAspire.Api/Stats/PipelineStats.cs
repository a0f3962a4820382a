namespace TaxiAspire.Api.Stats;

/// <summary>Totals over everything stored so far, and how fast it is arriving.</summary>
public sealed record PipelineStats(
    long TripsStored,
    long MessagesRejected,
    decimal FareTotal,
    decimal TipTotal,
    DateTimeOffset? LastPickupAt,
    DateTimeOffset? LastStoredAt,
    double TripsPerSecond,
    IReadOnlyList<RejectCount> RejectsByReason,
    IReadOnlyList<PartitionLag> ConsumerLag,
    DateTimeOffset AsOf);

public sealed record RejectCount(string Reason, long Count);

/// <summary>
/// A partition's progress as stored with the results, and its lag when the broker's high watermark is known.
/// </summary>
public sealed record PartitionLag(
    string ConsumerGroup,
    string Topic,
    int Partition,
    long StoredOffset,
    int LogEpoch,
    DateTimeOffset UpdatedAt,
    long? HighWatermark = null,
    long? Lag = null);

/// <summary>Trips stored during one second.</summary>
public sealed record ThroughputPoint(DateTimeOffset Second, long Trips);
