using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;

namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// Generates New York yellow-cab trips: hotspot pickups and dropoffs, street distance from the coordinates, duration
/// from a time-of-day speed, the TLC meter, card tips and cash zeros. Deterministic for a given seed.
/// </summary>
internal sealed class TripSimulator(int seed)
{
    // Manhattan's grid makes street distance about 1.3× the straight line.
    private const double StreetDetourFactor = 1.3;

    private readonly Random _random = new(seed);
    private readonly double _totalWeight = Hotspot.NewYork.Sum(h => h.Weight);
    private long _sequence;

    /// <summary>A trip picked up at <paramref name="pickup"/> (NYC wall-clock time).</summary>
    public TripEvent Next(DateTime pickup)
    {
        var from = PickHotspot();
        var to = PickHotspot(avoidAirport: from.IsAirport);
        var (pickupLon, pickupLat) = Scatter(from);
        var (dropoffLon, dropoffLat) = Scatter(to);

        var straightLine = GeoDistance.HaversineMiles(pickupLon, pickupLat, dropoffLon, dropoffLat);
        var miles = Math.Max(0.1, straightLine * StreetDetourFactor * (0.9 + (0.2 * _random.NextDouble())));
        var speedMph = TrafficSpeedMph(pickup.Hour) * (0.8 + (0.4 * _random.NextDouble()));
        var minutes = (miles / speedMph * 60) + 1 + (2 * _random.NextDouble());
        var slowMinutes = minutes * (speedMph < 12 ? 0.25 : 0.08);

        var isJfk = from.Name.StartsWith("JFK", StringComparison.Ordinal) || to.Name.StartsWith("JFK", StringComparison.Ordinal);
        var fare = isJfk ? TlcFareRules.JfkFlatFare : TlcFareRules.MeteredFare(miles, slowMinutes);
        var paymentType = _random.NextDouble() < 0.7 ? 1 : 2;

        return new TripEvent
        {
            TripId = $"sim-{seed}-{++_sequence}",
            VendorId = _random.NextDouble() < 0.45 ? 1 : 2,
            PickupDateTime = pickup,
            DropoffDateTime = pickup.AddSeconds(Math.Round(minutes * 60)),
            PassengerCount = PassengerCount(),
            TripDistance = Math.Round(miles, 2),
            PickupLongitude = pickupLon,
            PickupLatitude = pickupLat,
            DropoffLongitude = dropoffLon,
            DropoffLatitude = dropoffLat,
            PaymentType = paymentType,
            RateCodeId = isJfk ? 2 : 1,
            FareAmount = fare,
            TipAmount = paymentType == 1 ? CardTip(fare) : 0m,
        };
    }

    private Hotspot PickHotspot(bool avoidAirport = false)
    {
        while (true)
        {
            var roll = _random.NextDouble() * _totalWeight;
            foreach (var hotspot in Hotspot.NewYork)
            {
                roll -= hotspot.Weight;
                if (roll <= 0)
                {
                    if (avoidAirport && hotspot.IsAirport) break;
                    return hotspot;
                }
            }
        }
    }

    private (double Longitude, double Latitude) Scatter(Hotspot hotspot)
    {
        var lon = Math.Clamp(hotspot.Longitude + (Gaussian() * hotspot.SpreadDegrees), NycBounds.MinLongitude, NycBounds.MaxLongitude);
        var lat = Math.Clamp(hotspot.Latitude + (Gaussian() * hotspot.SpreadDegrees), NycBounds.MinLatitude, NycBounds.MaxLatitude);
        return (Math.Round(lon, 6), Math.Round(lat, 6));
    }

    // Rush hours crawl, nights fly.
    private static double TrafficSpeedMph(int hour) => hour switch
    {
        >= 7 and < 10 => 9,
        >= 16 and < 19 => 8,
        >= 10 and < 16 => 11,
        >= 0 and < 6 => 19,
        _ => 13,
    };

    private int PassengerCount()
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.70 => 1,
            < 0.85 => 2,
            < 0.90 => 3,
            < 0.93 => 4,
            < 0.97 => 5,
            _ => 6,
        };
    }

    // Card riders mostly pick 15–25 %; some give nothing.
    private decimal CardTip(decimal fare)
    {
        if (_random.NextDouble() < 0.1) return 0m;
        var rate = 0.15 + (0.10 * _random.NextDouble());
        return Math.Round(fare * (decimal)rate, 2);
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
