namespace TaxiAspire.Trips.Contract;

/// <summary>
/// One taxi trip as it travels on the <c>taxi_trips</c> topic. Field names on the wire are the original notebook's
/// (see <see cref="TripJsonCodec"/>); optional fields are null when a producer did not send them.
/// </summary>
/// <remarks>Times are wall-clock times in the trip's city (no offset), exactly as TLC records them.</remarks>
public sealed record TripEvent
{
    public string? TripId { get; init; }
    public required int VendorId { get; init; }
    public required DateTime PickupDateTime { get; init; }
    public DateTime? DropoffDateTime { get; init; }
    public required int PassengerCount { get; init; }
    public required double TripDistance { get; init; }
    public double? PickupLongitude { get; init; }
    public double? PickupLatitude { get; init; }
    public double? DropoffLongitude { get; init; }
    public double? DropoffLatitude { get; init; }
    public required int PaymentType { get; init; }
    public int? RateCodeId { get; init; }
    public required decimal FareAmount { get; init; }
    public required decimal TipAmount { get; init; }
}
