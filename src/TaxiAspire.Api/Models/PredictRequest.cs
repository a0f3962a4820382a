using System.Globalization;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Api.Models;

/// <summary>
/// A trip to score, in the event contract's field names and formats (see ARCHITECTURE.md), without the fare and tip
/// that the model predicts.
/// </summary>
public sealed record PredictRequest
{
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    public int? VendorId { get; init; }
    public string? PickupDatetime { get; init; }
    public string? DropoffDatetime { get; init; }
    public int? PassengerCount { get; init; }
    public double? TripDistance { get; init; }
    public double? PickupLongitude { get; init; }
    public double? PickupLatitude { get; init; }
    public double? DropoffLongitude { get; init; }
    public double? DropoffLatitude { get; init; }
    public int? PaymentType { get; init; }
    public int? RateCodeId { get; init; }

    /// <summary>The field errors of this request, keyed by the JSON field name; empty when it can be scored.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        if (VendorId is null) Fail("vendor_id", "vendor_id is required.");
        else if (VendorId is < 1 or > 99) Fail("vendor_id", "vendor_id must be from 1 to 99 (TLC vendor ids are 1 and 2).");

        if (PickupDatetime is null) Fail("pickup_datetime", "pickup_datetime is required.");
        else if (!IsTimestamp(PickupDatetime)) Fail("pickup_datetime", $"pickup_datetime must look like {TimestampFormat}.");

        if (DropoffDatetime is not null && !IsTimestamp(DropoffDatetime)) Fail("dropoff_datetime", $"dropoff_datetime must look like {TimestampFormat}.");
        else if (DropoffDatetime is not null && PickupDatetime is not null && IsTimestamp(PickupDatetime)
                 && string.CompareOrdinal(DropoffDatetime, PickupDatetime) < 0)
        {
            Fail("dropoff_datetime", "dropoff_datetime must not be before pickup_datetime.");
        }

        if (PassengerCount is null) Fail("passenger_count", "passenger_count is required.");
        else if (PassengerCount is < 0 or > 9) Fail("passenger_count", "passenger_count must be from 0 to 9.");

        if (TripDistance is null) Fail("trip_distance", "trip_distance is required.");
        else if (!double.IsFinite(TripDistance.Value) || TripDistance is < 0 or > 500) Fail("trip_distance", "trip_distance must be from 0 to 500 miles.");

        if (PaymentType is null) Fail("payment_type", "payment_type is required.");
        else if (PaymentType is < 1 or > 6) Fail("payment_type", "payment_type must be a TLC code from 1 to 6.");

        if (RateCodeId is < 1 or > 99) Fail("rate_code_id", "rate_code_id must be from 1 to 99.");

        CheckCoordinate("pickup_longitude", PickupLongitude, 180);
        CheckCoordinate("pickup_latitude", PickupLatitude, 90);
        CheckCoordinate("dropoff_longitude", DropoffLongitude, 180);
        CheckCoordinate("dropoff_latitude", DropoffLatitude, 90);
        return errors;

        void CheckCoordinate(string field, double? value, double limit)
        {
            if (value is { } v && (!double.IsFinite(v) || Math.Abs(v) > limit))
            {
                Fail(field, $"{field} must be between -{limit} and {limit} degrees.");
            }
        }
    }

    /// <summary>
    /// The trip as the event contract carries it, with no fare or tip (0), so it becomes the model's input exactly as a
    /// trip on the topic does. Call it on a request <see cref="Validate"/> found no errors in.
    /// </summary>
    public TripEvent ToTripEvent()
    {
        if (VendorId is not { } vendor || PickupDatetime is null || !TryParseTimestamp(PickupDatetime, out var pickup)
            || PassengerCount is not { } passengers || TripDistance is not { } miles || PaymentType is not { } payment)
        {
            throw new InvalidOperationException("The request is not valid; call Validate first.");
        }

        return new TripEvent
        {
            VendorId = vendor,
            PickupDateTime = pickup,
            DropoffDateTime = DropoffDatetime is not null && TryParseTimestamp(DropoffDatetime, out var dropoff) ? dropoff : null,
            PassengerCount = passengers,
            TripDistance = miles,
            PickupLongitude = PickupLongitude,
            PickupLatitude = PickupLatitude,
            DropoffLongitude = DropoffLongitude,
            DropoffLatitude = DropoffLatitude,
            PaymentType = payment,
            RateCodeId = RateCodeId,
            FareAmount = 0m,
            TipAmount = 0m,
        };
    }

    private static bool IsTimestamp(string value) => TryParseTimestamp(value, out _);

    // Wall-clock time with no offset (Kind Unspecified), as the contract's times are.
    private static bool TryParseTimestamp(string value, out DateTime timestamp) =>
        DateTime.TryParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);
}
