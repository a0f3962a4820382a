using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Simulation;

/// <summary>
/// Event time for live runs: the wall clock itself (speed 1), or a clock running <c>speed</c> times faster so that
/// hopping windows fill during a demo. An accelerated clock starts half a day back and, once it would run more than
/// half a day ahead of now, starts over half a day back: the processor counts pickups more than a day ahead as defects
/// (<see cref="Trips.Validation.TripValidationOptions.FutureTolerance"/>), and clean trips must stay clean.
/// </summary>
internal sealed class LiveEventClock
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan HalfDay = TimeSpan.FromHours(12);

    private readonly TimeProvider _time;
    private readonly TripClock _zone;
    private readonly double _speed;
    private readonly long _startTimestamp;

    public LiveEventClock(TimeProvider time, TripClock zone, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1);
        _time = time;
        _zone = zone;
        _speed = speed;
        _startTimestamp = time.GetTimestamp();
    }

    /// <summary>The current event time as NYC wall-clock time.</summary>
    public DateTime Now()
    {
        if (_speed <= 1)
        {
            return _zone.ToWallClock(_time.GetUtcNow());
        }

        // now − 12 h + (elapsed × (speed − 1) mod 24 h): advances at `speed` and stays within half a day of now.
        var gained = _time.GetElapsedTime(_startTimestamp) * (_speed - 1);
        var withinDay = TimeSpan.FromTicks(gained.Ticks % Day.Ticks);
        return _zone.ToWallClock(_time.GetUtcNow() - HalfDay + withinDay);
    }
}
