namespace TaxiAspire.Data.Queries;

/// <summary>A stored trip as readers see it.</summary>
public sealed record TripView(
    string TripId,
    int VendorId,
    DateTimeOffset PickupAt,
    DateTimeOffset? DropoffAt,
    int PassengerCount,
    double TripDistance,
    int PaymentType,
    decimal FareAmount,
    decimal TipAmount,
    decimal TotalAmount,
    DateTimeOffset StoredAt);
