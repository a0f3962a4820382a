namespace TaxiAspire.Trips.Features;

/// <summary>
/// Boxes around New York's airports (JFK, LaGuardia, Newark) that a trip's pickup or dropoff coordinate falls in.
/// Coarse on purpose: the feature means "airport trip" (flat fares, long distances), not "which terminal".
/// </summary>
public static class NycAirports
{
    private static readonly Airport[] Airports =
    [
        new("JFK", MinLongitude: -73.8250, MaxLongitude: -73.7470, MinLatitude: 40.6190, MaxLatitude: 40.6650),
        new("LGA", MinLongitude: -73.8900, MaxLongitude: -73.8550, MinLatitude: 40.7660, MaxLatitude: 40.7850),
        new("EWR", MinLongitude: -74.1900, MaxLongitude: -74.1500, MinLatitude: 40.6700, MaxLatitude: 40.7100),
    ];

    /// <summary>True when the coordinate lies at one of the airports; false when it does or is unknown.</summary>
    public static bool IsAirport(double? longitude, double? latitude)
    {
        if (longitude is not { } lon || latitude is not { } lat)
        {
            return false;
        }

        foreach (var airport in Airports)
        {
            if (lon >= airport.MinLongitude && lon <= airport.MaxLongitude && lat >= airport.MinLatitude && lat <= airport.MaxLatitude)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Airport(string Code, double MinLongitude, double MaxLongitude, double MinLatitude, double MaxLatitude);
}
