namespace TaxiAspire.Api.Trips;

/// <summary>A stored trip as readers see it. The model's fields are null until the trip is scored.</summary>
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
    DateTimeOffset StoredAt,
    double? PredictedFare = null,
    string? ModelVersion = null,
    bool? IsAnomaly = null);

/// <summary>What a trip search asks for; <see cref="Before"/> is the keyset cursor (an ingestion sequence number).</summary>
public sealed record TripSearch(
    int Limit,
    int? VendorId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    bool? Anomaly = null,
    long? Before = null);

/// <summary>A page of trips, newest first, and the cursor of the next (older) page when there is one.</summary>
public sealed record TripPage(IReadOnlyList<TripView> Trips, long? NextCursor);
