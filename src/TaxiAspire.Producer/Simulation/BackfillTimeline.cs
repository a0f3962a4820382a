namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// Pickup times for a backfill of history: a Poisson process whose rate follows <see cref="DemandProfile"/>, from
/// <c>start</c> to <c>end</c> (NYC wall-clock times). Deterministic for a given seed.
/// </summary>
internal sealed class BackfillTimeline(DateTime start, DateTime end, double tripsPerDay, DemandProfile demand, int seed)
{
    private readonly Random _random = new(seed);
    private double _secondsSinceStart;

    /// <summary>The next pickup time, or false once the timeline has reached its end.</summary>
    public bool TryNext(out DateTime pickup)
    {
        var current = start.AddSeconds(_secondsSinceStart);
        var ratePerSecond = tripsPerDay / 86_400 * demand.At(current);
        // Exponential gaps give a Poisson process; 1 − U keeps the logarithm finite.
        _secondsSinceStart += -Math.Log(1.0 - _random.NextDouble()) / ratePerSecond;
        pickup = start.AddTicks((long)(_secondsSinceStart * TimeSpan.TicksPerSecond));
        // Whole seconds, as the contract writes them.
        pickup = pickup.AddTicks(-(pickup.Ticks % TimeSpan.TicksPerSecond));
        return pickup < end;
    }
}
