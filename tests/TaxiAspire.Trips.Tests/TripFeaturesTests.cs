using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trips.Tests;

public class TripFeaturesTests
{
    private static readonly TripEvent Trip = new()
    {
        VendorId = 1,
        // A Friday evening.
        PickupDateTime = new DateTime(2026, 3, 6, 18, 40, 0),
        DropoffDateTime = new DateTime(2026, 3, 6, 19, 10, 0),
        PassengerCount = 1,
        TripDistance = 15,
        // Times Square to JFK.
        PickupLongitude = -73.9855,
        PickupLatitude = 40.7580,
        DropoffLongitude = -73.7781,
        DropoffLatitude = 40.6413,
        PaymentType = 1,
        FareAmount = 52m,
        TipAmount = 10.5m,
    };

    [Fact]
    public void Features_of_a_complete_trip()
    {
        var f = TripFeatureExtractor.Extract(Trip);

        Assert.Equal(62.5m, f.TotalCost);
        Assert.InRange(f.StraightLineMiles!.Value, 13.0, 13.6); // ~13.3 miles as the crow flies
        Assert.Equal(30, f.DurationMinutes);
        Assert.Equal(30, f.SpeedMph);
        Assert.Equal(18, f.PickupHour);
        Assert.Equal(DayOfWeek.Friday, f.PickupWeekday);
        Assert.False(f.AirportPickup);
        Assert.True(f.AirportDropoff);
    }

    [Fact]
    public void Unknown_inputs_give_null_features_never_made_up_values()
    {
        var f = TripFeatureExtractor.Extract(Trip with
        {
            DropoffDateTime = null, PickupLongitude = null, PickupLatitude = null, DropoffLongitude = null, DropoffLatitude = null,
        });

        Assert.Null(f.StraightLineMiles);
        Assert.Null(f.DurationMinutes);
        Assert.Null(f.SpeedMph);
        Assert.False(f.AirportPickup);
        Assert.False(f.AirportDropoff);
    }

    [Fact]
    public void A_trip_shorter_than_a_minute_has_a_duration_but_no_speed()
    {
        var f = TripFeatureExtractor.Extract(Trip with { DropoffDateTime = Trip.PickupDateTime.AddSeconds(30) });

        Assert.Equal(0.5, f.DurationMinutes);
        Assert.Null(f.SpeedMph);
    }

    [Theory]
    [InlineData(-73.7781, 40.6413, true)] // JFK
    [InlineData(-73.8740, 40.7769, true)] // LaGuardia
    [InlineData(-74.1745, 40.6895, true)] // Newark
    [InlineData(-73.9855, 40.7580, false)] // Midtown
    public void Airports_are_recognised_by_coordinate(double longitude, double latitude, bool airport) =>
        Assert.Equal(airport, NycAirports.IsAirport(longitude, latitude));
}
