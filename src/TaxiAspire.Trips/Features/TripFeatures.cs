namespace TaxiAspire.Trips.Features;

/// <summary>
/// The derived columns of one trip, defined once here and shared by the stream processor (stored with each trip) and
/// the trainer (model inputs). Optional inputs yield null rather than a made-up value, so a model never learns a
/// sentinel as if it were a measurement.
/// </summary>
public sealed record TripFeatures(
    decimal TotalCost,
    double? StraightLineMiles,
    double? DurationMinutes,
    double? SpeedMph,
    int PickupHour,
    DayOfWeek PickupWeekday,
    bool AirportPickup,
    bool AirportDropoff);
