namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// The TLC yellow-cab meter: $3.00 initial charge, then $0.70 per 1/5 mile when moving, or per minute when slow.
/// JFK ⇄ Manhattan is a flat fare. Surcharges (MTA tax, improvement, congestion, airport access) are billed apart by
/// the TLC and are not part of <c>fare_amount</c>, so the simulator never adds them to it.
/// </summary>
internal static class TlcFareRules
{
    public const decimal InitialCharge = 3.00m;
    public const decimal UnitCharge = 0.70m;
    public const decimal JfkFlatFare = 70.00m;

    /// <summary>Below this speed the meter charges by the minute instead of by the distance.</summary>
    public const double SlowTrafficMph = 12;

    public static decimal MeteredFare(double miles, double slowMinutes)
    {
        var distanceUnits = Math.Floor(miles * 5);
        var timeUnits = Math.Floor(slowMinutes);
        return InitialCharge + (UnitCharge * (decimal)(distanceUnits + timeUnits));
    }
}
