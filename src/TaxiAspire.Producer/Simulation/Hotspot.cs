namespace TaxiAspire.Producer.Simulation;

/// <summary>A place trips start or end around, with its share of demand and how far trips scatter from it.</summary>
internal sealed record Hotspot(string Name, double Longitude, double Latitude, double Weight, double SpreadDegrees, bool IsAirport = false)
{
    /// <summary>JFK trips to and from Manhattan pay the flat fare.</summary>
    public bool IsJfk => Name.StartsWith("JFK", StringComparison.Ordinal);

    public static IReadOnlyList<Hotspot> NewYork { get; } =
    [
        new("Midtown", -73.9857, 40.7549, 0.30, 0.010),
        new("Downtown", -74.0090, 40.7075, 0.14, 0.008),
        new("Upper East Side", -73.9580, 40.7736, 0.14, 0.010),
        new("Upper West Side", -73.9754, 40.7870, 0.11, 0.010),
        new("Chelsea / Village", -74.0007, 40.7380, 0.13, 0.008),
        new("Brooklyn", -73.9570, 40.6900, 0.08, 0.018),
        new("JFK Airport", -73.7781, 40.6413, 0.05, 0.004, IsAirport: true),
        new("LaGuardia Airport", -73.8740, 40.7769, 0.05, 0.003, IsAirport: true),
    ];
}
