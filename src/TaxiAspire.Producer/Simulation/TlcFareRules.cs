namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// The TLC yellow-cab meter: $3.00 initial charge, then $0.70 per 1/5 mile when moving, or per minute when slow.
/// JFK ⇄ Manhattan is a flat fare. Surcharges (MTA, improvement, congestion) are billed apart and not in <c>fare_amount</c>.
/// </summary>
internal static class TlcFareRules
{
    public const decimal InitialCharge = 3.00m;
    public const decimal UnitCharge = 0.70m;
    public const decimal JfkFlatFare = 70.00m;

    public static decimal MeteredFare(double miles, double slowMinutes)
    {
        var distanceUnits = Math.Floor(miles * 5);
        var timeUnits = Math.Floor(slowMinutes);
        return InitialCharge + (UnitCharge * (decimal)(distanceUnits + timeUnits));
    }
}
