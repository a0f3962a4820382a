using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;

namespace TaxiAspire.Trips.Validation;

/// <summary>
/// The one definition of a valid trip: the stream processor rejects what this rejects, the API's predict rejects what
/// this rejects (a trip sent to be priced may leave its price out), and the producer's dirty-data generator produces
/// what this rejects.
/// </summary>
public sealed class TripValidator(TripValidationOptions options, TimeProvider timeProvider)
{
    public TripClock Clock { get; } = new(options.TimeZone);

    /// <summary>Decodes and validates in one step: the stream processor's entry point.</summary>
    public TripDecodeResult DecodeAndValidate(ReadOnlySpan<byte> utf8Json)
    {
        var decoded = TripJsonCodec.Decode(utf8Json);
        if (!decoded.IsSuccess)
        {
            return decoded;
        }

        var rejection = Validate(decoded.Trip);
        return rejection is null ? decoded : new TripDecodeResult(null, rejection);
    }

    /// <summary>
    /// Decodes and validates a trip sent to be priced (the API's predict): the stream's contract and rules, except that
    /// <c>fare_amount</c> and <c>tip_amount</c> may both be left out, and then the rules about them do not apply.
    /// </summary>
    public TripDecodeResult DecodeAndValidateForPricing(ReadOnlySpan<byte> utf8Json)
    {
        var decoded = TripJsonCodec.DecodeWithOptionalPrice(utf8Json, out var priced);
        if (!decoded.IsSuccess)
        {
            return decoded;
        }

        var rejection = Validate(decoded.Trip, priced);
        return rejection is null ? decoded : new TripDecodeResult(null, rejection);
    }

    /// <returns>null when the trip is valid, otherwise why it is not.</returns>
    public TripRejection? Validate(TripEvent trip) => Validate(trip, priced: true);

    private TripRejection? Validate(TripEvent trip, bool priced)
    {
        ArgumentNullException.ThrowIfNull(trip);

        if (trip.VendorId is not (1 or 2))
            return new(RejectReason.InvalidVendor, $"vendor_id {trip.VendorId} is not a TLC vendor (1 or 2)");
        if (trip.PassengerCount < 1 || trip.PassengerCount > options.MaxPassengerCount)
            return new(RejectReason.InvalidPassengerCount, $"passenger_count {trip.PassengerCount} is outside 1..{options.MaxPassengerCount}");
        if (trip.TripDistance < 0 || trip.TripDistance > options.MaxTripDistanceMiles)
            return new(RejectReason.InvalidDistance, $"trip_distance {trip.TripDistance} is outside 0..{options.MaxTripDistanceMiles} miles");
        if (priced && trip.FareAmount < 0)
            return new(RejectReason.NegativeFare, $"fare_amount {trip.FareAmount} is negative");
        if (priced && TripMoney.TotalCost(trip) <= 0)
            return new(RejectReason.NonPositiveTotal, $"fare_amount + tip_amount = {TripMoney.TotalCost(trip)} is not positive");
        if (OutsideNyc(trip.PickupLongitude, trip.PickupLatitude) || OutsideNyc(trip.DropoffLongitude, trip.DropoffLatitude))
            return new(RejectReason.OutsideNyc, "a coordinate lies outside New York City");
        if (trip.DropoffDateTime is { } dropoff && dropoff < trip.PickupDateTime)
            return new(RejectReason.DropoffBeforePickup, "dropoff_datetime is before pickup_datetime");

        var pickupUtc = Clock.ToUtc(trip.PickupDateTime);
        var latestAllowed = timeProvider.GetUtcNow() + options.FutureTolerance;
        if (pickupUtc > latestAllowed)
            return new(RejectReason.PickupInFuture, $"pickup_datetime is more than {options.FutureTolerance} ahead of now");

        return null;
    }

    // Coordinates are optional (replayed files lack them); (0, 0) is how TLC records "unknown" and is still outside NYC.
    private static bool OutsideNyc(double? longitude, double? latitude) =>
        (longitude, latitude) switch
        {
            (null, null) => false,
            ({ } lon, { } lat) => !NycBounds.Contains(lon, lat),
            _ => true,
        };
}
