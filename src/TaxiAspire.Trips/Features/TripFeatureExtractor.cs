using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;

namespace TaxiAspire.Trips.Features;

/// <summary>Computes <see cref="TripFeatures"/> from a trip: the one definition the processor and the trainer share.</summary>
public static class TripFeatureExtractor
{
    // Below a minute the speed of a trip says more about clock rounding than about traffic.
    private const double MinMinutesForSpeed = 1.0;

    public static TripFeatures Extract(TripEvent trip)
    {
        ArgumentNullException.ThrowIfNull(trip);

        var straightLine = trip is { PickupLongitude: { } plon, PickupLatitude: { } plat, DropoffLongitude: { } dlon, DropoffLatitude: { } dlat }
            ? GeoDistance.HaversineMiles(plon, plat, dlon, dlat)
            : (double?)null;

        // Both instants are wall-clock times in the same zone; a DST change during a ride is the only (rare) error.
        double? duration = trip.DropoffDateTime is { } dropoff ? (dropoff - trip.PickupDateTime).TotalMinutes : null;
        double? speed = duration is >= MinMinutesForSpeed ? trip.TripDistance / (duration.Value / 60.0) : null;

        return new TripFeatures(
            TotalCost: TripMoney.TotalCost(trip),
            StraightLineMiles: straightLine,
            DurationMinutes: duration,
            SpeedMph: speed,
            // Hour and weekday of the local wall clock: rush hours are local, whatever the offset.
            PickupHour: trip.PickupDateTime.Hour,
            PickupWeekday: trip.PickupDateTime.DayOfWeek,
            AirportPickup: NycAirports.IsAirport(trip.PickupLongitude, trip.PickupLatitude),
            AirportDropoff: NycAirports.IsAirport(trip.DropoffLongitude, trip.DropoffLatitude));
    }
}
