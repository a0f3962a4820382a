extern alias api;

using api::TaxiAspire.Api.Models;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.IntegrationTests.Api;

/// <summary>A predict request becomes the model input through the event contract, exactly as a trip on the topic does.</summary>
public sealed class PredictRequestTests
{
    private static readonly PredictRequest ThreeMiles = new()
    {
        VendorId = 2,
        PickupDatetime = "2026-11-25 14:00:00",
        DropoffDatetime = "2026-11-25 14:15:00",
        PassengerCount = 1,
        TripDistance = 3.0,
        PickupLongitude = -73.98,
        PickupLatitude = 40.75,
        PaymentType = 1,
        RateCodeId = 1,
    };

    [Fact]
    public void A_valid_request_becomes_a_trip_without_fare_or_tip()
    {
        var trip = ThreeMiles.ToTripEvent();

        Assert.Equal(
            (2, new DateTime(2026, 11, 25, 14, 0, 0), (DateTime?)new DateTime(2026, 11, 25, 14, 15, 0), 1, 3.0, 1, (int?)1, 0m, 0m),
            (trip.VendorId, trip.PickupDateTime, trip.DropoffDateTime, trip.PassengerCount, trip.TripDistance, trip.PaymentType, trip.RateCodeId, trip.FareAmount, trip.TipAmount));
        Assert.Equal((-73.98, 40.75, null, null), (trip.PickupLongitude, trip.PickupLatitude, trip.DropoffLongitude, trip.DropoffLatitude));
        Assert.Equal(DateTimeKind.Unspecified, trip.PickupDateTime.Kind); // wall-clock time, as on the topic
    }

    [Fact]
    public void Its_model_input_has_the_duration_and_leaves_unknowns_missing()
    {
        var timed = FareModelInput.From(ThreeMiles.ToTripEvent());
        var untimed = FareModelInput.From((ThreeMiles with { DropoffDatetime = null, RateCodeId = null }).ToTripEvent());

        Assert.Equal((900f, 300f, 1f), (timed.TripSeconds, timed.SecondsPerMile, timed.RateCode));
        Assert.True(float.IsNaN(untimed.TripSeconds) && float.IsNaN(untimed.RateCode));
    }

    [Fact]
    public void An_invalid_request_is_refused_rather_than_scored()
    {
        var invalid = ThreeMiles with { PickupDatetime = "25/11/2026" };

        Assert.NotEmpty(invalid.Validate());
        Assert.Throws<InvalidOperationException>(invalid.ToTripEvent);
    }
}
