using TaxiAspire.Trips.Contract;

namespace TaxiAspire.StreamProcessor.Building;

/// <summary>A valid trip ready to store: the event, its id, its instants in UTC, its total and where it came from.</summary>
public sealed record StoredTrip(
    string TripId,
    TripEvent Trip,
    DateTimeOffset PickupUtc,
    DateTimeOffset? DropoffUtc,
    decimal TotalAmount,
    KafkaSource Source)
{
    /// <summary>The champion model's score; null when no model scored the trip (the stream flows unscored).</summary>
    public TripScore? Score { get; init; }
}

/// <summary>A message's place in Kafka. <see cref="LogEpoch"/> tells apart logs that restarted at offset zero.</summary>
public sealed record KafkaSource(string Topic, int Partition, long Offset, int LogEpoch, DateTimeOffset? Timestamp)
{
    /// <summary>The id of a trip whose producer sent none: unique per message, stable across redelivery.</summary>
    public string DerivedTripId() =>
        LogEpoch == 0 ? $"{Topic}-{Partition}-{Offset}" : $"{Topic}-{Partition}-e{LogEpoch}-{Offset}";
}
