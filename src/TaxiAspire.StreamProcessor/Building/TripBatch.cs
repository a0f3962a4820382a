namespace TaxiAspire.StreamProcessor.Building;

/// <summary>One micro-batch: its valid trips, its rejects and the offsets to store with them.</summary>
public sealed record TripBatch(
    string ConsumerGroup,
    IReadOnlyList<StoredTrip> Trips,
    IReadOnlyList<RejectedMessage> Rejects,
    IReadOnlyList<PartitionProgress> Progress);
