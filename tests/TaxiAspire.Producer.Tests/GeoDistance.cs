namespace TaxiAspire.Producer.Tests;

/// <summary>Great-circle distance: the simulator tests check its street distances against the straight line.</summary>
internal static class GeoDistance
{
    private const double EarthRadiusMiles = 3958.8;

    public static double HaversineMiles(double longitude1, double latitude1, double longitude2, double latitude2)
    {
        var dLat = DegreesToRadians(latitude2 - latitude1);
        var dLon = DegreesToRadians(longitude2 - longitude1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
              + (Math.Cos(DegreesToRadians(latitude1)) * Math.Cos(DegreesToRadians(latitude2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusMiles * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
