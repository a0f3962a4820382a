using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;

namespace TaxiAspire.Producer.Tests;

public sealed class TripSimulatorTests
{
    private static readonly IReadOnlyList<TripEvent> Trips = TestTrips.Week(20_000);

    [Fact]
    public void Same_seed_gives_the_same_trips_byte_for_byte()
    {
        var again = TestTrips.Week(2_000);
        Assert.Equal(Trips.Take(2_000).Select(TripJsonCodec.Encode).Select(Convert.ToBase64String), again.Select(TripJsonCodec.Encode).Select(Convert.ToBase64String));
        var other = TestTrips.Week(2_000, seed: 8);
        Assert.NotEqual(Trips[0].FareAmount + (decimal)Trips[0].TripDistance, other[0].FareAmount + (decimal)other[0].TripDistance);
    }

    [Fact]
    public void Every_simulated_trip_is_valid_and_survives_the_codec()
    {
        var validator = TestTrips.Validator();
        foreach (var trip in Trips)
        {
            var decoded = validator.DecodeAndValidate(TripJsonCodec.Encode(trip));
            Assert.True(decoded.IsSuccess, decoded.Rejection?.Detail);
        }

        Assert.Equal(Trips.Count, Trips.Select(t => t.TripId).Distinct().Count());
    }

    [Fact]
    public void Coordinates_lie_in_New_York_and_distance_follows_them()
    {
        foreach (var trip in Trips)
        {
            Assert.True(NycBounds.Contains(trip.PickupLongitude!.Value, trip.PickupLatitude!.Value));
            Assert.True(NycBounds.Contains(trip.DropoffLongitude!.Value, trip.DropoffLatitude!.Value));
            var straight = GeoDistance.HaversineMiles(trip.PickupLongitude.Value, trip.PickupLatitude.Value, trip.DropoffLongitude.Value, trip.DropoffLatitude.Value);
            // Street distance: the grid detour (1.3 × ±10 %) over the straight line; very short hops are floored at 0.1 mi.
            Assert.InRange(trip.TripDistance, Math.Min(straight * 1.15, 0.1) - 0.01, Math.Max(straight * 1.45, 0.1) + 0.01);
            Assert.True(trip.DropoffDateTime > trip.PickupDateTime);
        }
    }

    [Fact]
    public void City_miles_match_the_great_circle_across_the_city()
    {
        var midtownToJfk = GeoDistance.HaversineMiles(-73.9857, 40.7549, -73.7781, 40.6413);
        Assert.Equal(midtownToJfk, TripSimulator.CityMiles(-73.9857, 40.7549, -73.7781, 40.6413), midtownToJfk * 0.005);
    }

    [Fact]
    public void Fares_follow_the_meter_and_correlate_with_distance()
    {
        var metered = Trips.Where(t => t.RateCodeId == 1).ToList();
        Assert.All(metered, t => Assert.True(t.FareAmount >= 3.00m && (t.FareAmount - 3.00m) % 0.70m == 0, $"{t.FareAmount}"));
        Assert.All(Trips.Where(t => t.RateCodeId == 2), t => Assert.Equal(70.00m, t.FareAmount));
        Assert.True(Correlation(Trips.Select(t => t.TripDistance), Trips.Select(t => (double)t.FareAmount)) > 0.85);
    }

    [Fact]
    public void Tips_are_card_only_and_mostly_fifteen_to_twenty_five_percent()
    {
        Assert.All(Trips.Where(t => t.PaymentType != 1), t => Assert.Equal(0m, t.TipAmount));
        var cardRates = Trips.Where(t => t.PaymentType == 1).Select(t => (double)(t.TipAmount / t.FareAmount)).Order().ToList();
        Assert.InRange(cardRates[cardRates.Count / 2], 0.15, 0.25);
        Assert.InRange(cardRates.Count(r => r == 0) / (double)cardRates.Count, 0.05, 0.15);
        Assert.InRange(Trips.Count(t => t.PaymentType == 1) / (double)Trips.Count, 0.6, 0.8);
    }

    [Fact]
    public void Passengers_skew_to_one_and_both_vendors_drive()
    {
        Assert.InRange(Trips.Count(t => t.PassengerCount == 1) / (double)Trips.Count, 0.6, 0.8);
        Assert.All(Trips, t => Assert.InRange(t.PassengerCount, 1, 6));
        Assert.InRange(Trips.Count(t => t.VendorId == 1) / (double)Trips.Count, 0.35, 0.55);
        Assert.All(Trips, t => Assert.InRange(t.VendorId, 1, 2));
    }

    [Fact]
    public void Demand_varies_by_hour_and_weekday()
    {
        var byHour = Trips.GroupBy(t => t.PickupDateTime.Hour).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byHour[19] > 3 * byHour[4], $"19h {byHour[19]} vs 4h {byHour[4]}");

        var profile = DemandProfile.NewYork;
        var week = Enumerable.Range(0, 7 * 24).Select(h => profile.At(TestTrips.Start.AddHours(h))).ToList();
        Assert.Equal(1.0, week.Average(), 3);
        var saturday1am = profile.At(new DateTime(2025, 3, 8, 1, 0, 0));
        var tuesday1am = profile.At(new DateTime(2025, 3, 4, 1, 0, 0));
        Assert.True(saturday1am > 2 * tuesday1am);
    }

    [Fact]
    public void Backfill_slices_cover_the_window_at_the_asked_demand()
    {
        var slices = new BackfillSlices(TestTrips.Start, TestTrips.Start.AddDays(2), 50_000, DemandProfile.NewYork, 3);
        var trips = slices.AllTrips().ToList();
        Assert.Equal(48, slices.Count);
        Assert.InRange(trips.Count, 95_000, 105_000);
        Assert.All(trips, t => Assert.InRange(t.PickupDateTime, TestTrips.Start, TestTrips.Start.AddDays(2)));
        Assert.Equal(trips.Count, trips.Select(t => t.TripId).Distinct().Count());
        // A slice depends only on the seed and its index: generated alone, it is the same.
        Assert.Equal(slices.Trips(5).Select(t => t.TripId + t.FareAmount), new BackfillSlices(TestTrips.Start, TestTrips.Start.AddDays(2), 50_000, DemandProfile.NewYork, 3).Trips(5).Select(t => t.TripId + t.FareAmount));
    }

    internal static double Correlation(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        var x = xs.ToArray();
        var y = ys.ToArray();
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        var vx = x.Sum(v => (v - mx) * (v - mx));
        var vy = y.Sum(v => (v - my) * (v - my));
        return cov / Math.Sqrt(vx * vy);
    }
}
