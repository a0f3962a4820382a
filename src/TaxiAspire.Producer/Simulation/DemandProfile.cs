namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// How busy New York's yellow cabs are by hour and weekday, relative to the week's average (1.0): the shape of the
/// TLC's published hourly pickup counts: a trough before dawn, a morning rise, an evening peak, later nights at weekends.
/// </summary>
internal sealed class DemandProfile
{
    // Relative pickups per hour 0..23.
    private static readonly double[] Weekday =
    [
        0.55, 0.35, 0.25, 0.18, 0.17, 0.25, 0.55, 0.95, 1.15, 1.15, 1.10, 1.15,
        1.20, 1.20, 1.25, 1.25, 1.15, 1.35, 1.60, 1.65, 1.50, 1.45, 1.35, 1.00,
    ];

    private static readonly double[] Weekend =
    [
        1.10, 0.95, 0.75, 0.55, 0.35, 0.25, 0.25, 0.35, 0.55, 0.80, 1.00, 1.10,
        1.20, 1.20, 1.20, 1.20, 1.20, 1.25, 1.30, 1.30, 1.25, 1.25, 1.25, 1.20,
    ];

    private readonly double _mean;

    public DemandProfile()
    {
        _mean = ((Weekday.Sum() * 5) + (Weekend.Sum() * 2)) / (7 * 24);
    }

    public static DemandProfile NewYork { get; } = new();

    /// <summary>Demand at <paramref name="wallClock"/> relative to the weekly mean.</summary>
    public double At(DateTime wallClock)
    {
        var weekend = wallClock.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        return (weekend ? Weekend : Weekday)[wallClock.Hour] / _mean;
    }
}
