using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trips.Tests;

public class FareModelInputTests
{
    private static readonly TripEvent Trip = new()
    {
        VendorId = 1,
        PickupDateTime = new DateTime(2026, 3, 6, 18, 40, 0),
        DropoffDateTime = new DateTime(2026, 3, 6, 19, 10, 0),
        PassengerCount = 1,
        TripDistance = 15,
        PaymentType = 1,
        RateCodeId = 2,
        FareAmount = 52m,
        TipAmount = 10.5m,
    };

    [Fact]
    public void A_complete_trip_gives_duration_pace_and_the_meter_estimate()
    {
        var input = FareModelInput.From(Trip);

        Assert.Equal((1f, 2f, 1f, 1f, 15f), (input.VendorId, input.RateCode, input.PassengerCount, input.PaymentType, input.TripDistance));
        Assert.Equal(1800f, input.TripSeconds);
        Assert.Equal(120f, input.SecondsPerMile);
        // 15 miles in 30 minutes is above 12 mph: $2.50 + 15 x $2.50, no slow minutes.
        Assert.Equal(40f, input.MeteredFareEstimate);
        Assert.Equal(52f, input.FareAmount);
    }

    [Fact]
    public void A_slow_trip_pays_for_its_slow_minutes()
    {
        // 1 mile in 20 minutes: 5 minutes at 12 mph, 15 slow minutes at $0.50.
        var input = FareModelInput.From(Trip with { TripDistance = 1, DropoffDateTime = Trip.PickupDateTime.AddMinutes(20) });

        Assert.Equal(2.5f + 2.5f + 7.5f, input.MeteredFareEstimate);
    }

    [Fact]
    public void Unknown_inputs_stay_missing_never_made_up()
    {
        var input = FareModelInput.From(Trip with { DropoffDateTime = null, RateCodeId = null });

        Assert.True(float.IsNaN(input.TripSeconds));
        Assert.True(float.IsNaN(input.SecondsPerMile));
        Assert.True(float.IsNaN(input.RateCode));
        Assert.Equal(2.5f + (15 * 2.5f), input.MeteredFareEstimate);
    }

    [Fact]
    public void A_dropoff_before_the_pickup_is_an_unknown_duration()
    {
        var input = FareModelInput.From(Trip with { DropoffDateTime = Trip.PickupDateTime.AddMinutes(-1) });

        Assert.True(float.IsNaN(input.TripSeconds));
    }
}
