using System.Globalization;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Geography;

namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// Generates New York yellow-cab trips: hotspot pickups and dropoffs, street distance from the coordinates, duration
/// from a time-of-day speed, the TLC meter, card tips and cash zeros. Deterministic for a given seed: the same seed and
/// the same pickup times give the same trips, byte for byte.
/// </summary>
internal sealed class TripSimulator
{
    // Manhattan's grid makes street distance about 1.3× the straight line.
    private const double StreetDetourFactor = 1.3;

    // Miles per degree at 40.73° N (the city's middle): 69.05 × cos(latitude) east–west, 69.05 north–south.
    private const double MilesPerDegreeLatitude = 69.05;
    private const double MilesPerDegreeLongitude = 52.33;

    private readonly Random _random;
    private readonly string _idPrefix;
    private readonly double[] _cumulativeWeights;
    private long _sequence;
    private double? _spareGaussian;

    public TripSimulator(int seed)
        : this(seed, string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-"))
    {
    }

    /// <summary>
    /// A live simulator: its ids also name the run, so a restart with the same seed (same trips, new pickup times)
    /// does not reuse ids that taxidb already holds; the processor would otherwise drop the new trips as duplicates.
    /// </summary>
    public static TripSimulator ForLiveRun(int seed, DateTimeOffset runStartedAt) =>
        new(seed, string.Create(CultureInfo.InvariantCulture, $"sim-{seed}-{runStartedAt:yyyyMMddHHmmss}-"));

    /// <param name="seed">The random seed.</param>
    /// <param name="idPrefix">Trip ids are this prefix and a sequence number; simulators running side by side need distinct ones.</param>
    public TripSimulator(int seed, string idPrefix)
    {
        _random = new Random(seed);
        _idPrefix = idPrefix;
        var total = Hotspot.NewYork.Sum(h => h.Weight);
        var running = 0.0;
        _cumulativeWeights = Hotspot.NewYork.Select(h => running += h.Weight / total).ToArray();
    }

    /// <summary>How many trips this simulator has generated.</summary>
    public long Generated => _sequence;

    /// <summary>A trip picked up at <paramref name="pickup"/> (NYC wall-clock time).</summary>
    public TripEvent Next(DateTime pickup)
    {
        var from = PickHotspot();
        var to = PickHotspot();
        // Airport to airport is not a cab ride anyone takes.
        while (from.IsAirport && to.IsAirport)
        {
            to = PickHotspot();
        }

        var (pickupLon, pickupLat) = Scatter(from);
        var (dropoffLon, dropoffLat) = Scatter(to);

        var straightLine = CityMiles(pickupLon, pickupLat, dropoffLon, dropoffLat);
        var miles = Math.Max(0.1, straightLine * StreetDetourFactor * (0.9 + (0.2 * _random.NextDouble())));
        var speedMph = TrafficSpeedMph(pickup.Hour) * (0.8 + (0.4 * _random.NextDouble()));
        // A minute or two of pulling over, loading and paying on top of the moving time.
        var minutes = (miles / speedMph * 60) + 1 + (2 * _random.NextDouble());
        var slowMinutes = minutes * (speedMph < TlcFareRules.SlowTrafficMph ? 0.25 : 0.08);

        var isJfk = from.IsJfk || to.IsJfk;
        var fare = isJfk ? TlcFareRules.JfkFlatFare : TlcFareRules.MeteredFare(miles, slowMinutes);
        var paymentType = PaymentType();

        return new TripEvent
        {
            TripId = _idPrefix + (++_sequence).ToString(CultureInfo.InvariantCulture),
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

    private Hotspot PickHotspot()
    {
        var roll = _random.NextDouble();
        for (var i = 0; i < _cumulativeWeights.Length - 1; i++)
        {
            if (roll < _cumulativeWeights[i]) return Hotspot.NewYork[i];
        }

        return Hotspot.NewYork[^1];
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

    // TLC codes: 1 card, 2 cash, 3 no charge, 4 dispute; cards dominate since the in-cab screens.
    private int PaymentType() => _random.NextDouble() switch
    {
        < 0.70 => 1,
        < 0.995 => 2,
        < 0.998 => 3,
        _ => 4,
    };

    private int PassengerCount() => _random.NextDouble() switch
    {
        < 0.70 => 1,
        < 0.85 => 2,
        < 0.90 => 3,
        < 0.93 => 4,
        < 0.97 => 5,
        _ => 6,
    };

    // Card riders mostly pick one of the screen's buttons (20, 25, 30 % in recent meters, 15–25 % in most trips);
    // about one in ten gives nothing.
    private decimal CardTip(decimal fare)
    {
        var roll = _random.NextDouble();
        var rate = roll switch
        {
            < 0.10 => 0.0,
            < 0.85 => 0.15 + (0.10 * _random.NextDouble()),
            _ => 0.25 + (0.05 * _random.NextDouble()),
        };
        return Math.Round(fare * (decimal)rate, 2);
    }

    // Box–Muller yields normals in pairs; keeping the second halves the logarithms and roots (backfill speed).
    private double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
        _spareGaussian = radius * sin;
        return radius * cos;
    }

    /// <summary>
    /// Straight-line miles on a flat map at New York's latitude: within 0.1 % of the great circle across the city, and
    /// without the haversine's trigonometry on the backfill's hot path.
    /// </summary>
    public static double CityMiles(double longitude1, double latitude1, double longitude2, double latitude2)
    {
        var dx = (longitude2 - longitude1) * MilesPerDegreeLongitude;
        var dy = (latitude2 - latitude1) * MilesPerDegreeLatitude;
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
