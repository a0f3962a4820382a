namespace TaxiAspire.Trips.Geography;

/// <summary>The box that contains New York City's five boroughs and its airports (TLC's own cleaning bounds).</summary>
public static class NycBounds
{
    public const double MinLongitude = -74.27;
    public const double MaxLongitude = -73.68;
    public const double MinLatitude = 40.49;
    public const double MaxLatitude = 40.93;

    public static bool Contains(double longitude, double latitude) =>
        longitude is >= MinLongitude and <= MaxLongitude && latitude is >= MinLatitude and <= MaxLatitude;
}
