namespace TaxiAspire.Trips.Contract;

/// <summary>
/// Translates between the contract's offset-less wall-clock timestamps and instants, in the configured zone
/// (<see cref="Validation.TripValidationOptions.TimeZone"/>, default America/New_York as in TLC data).
/// </summary>
public sealed class TripClock(string timeZoneId)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    // The offset of the last wall-clock hour converted, when one offset holds for the whole hour. A stream converts
    // thousands of trips from the same hour in a row, and the zone lookup was ~5 % of the processor's CPU. Replaced
    // whole, so a reader on any thread sees a matching pair.
    private HourOffset? _lastHour;

    public TimeZoneInfo TimeZone => _zone;

    /// <summary>The instant a wall-clock time denotes. Skipped or repeated DST hours resolve to the standard offset.</summary>
    public DateTimeOffset ToUtc(DateTime wallClock)
    {
        var hour = wallClock.Ticks / TimeSpan.TicksPerHour;
        var cached = Volatile.Read(ref _lastHour);
        TimeSpan offset;
        if (cached is not null && cached.Hour == hour)
        {
            offset = cached.Offset;
        }
        else
        {
            offset = OffsetAt(wallClock);
            if (UniformOffset(hour) is { } uniform)
            {
                Volatile.Write(ref _lastHour, new HourOffset(hour, uniform));
            }
        }

        return new DateTimeOffset(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }

    /// <summary>The wall-clock time in the zone for an instant (what producers stamp).</summary>
    public DateTime ToWallClock(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime;

    private TimeSpan OffsetAt(DateTime wallClock) =>
        _zone.IsInvalidTime(wallClock) ? _zone.BaseUtcOffset : _zone.GetUtcOffset(wallClock);

    // The hour's offset when its first and last tick have the same one and neither is skipped or repeated; null for an
    // hour with a transition in it, which is then looked up trip by trip.
    private TimeSpan? UniformOffset(long hour)
    {
        var first = new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Unspecified);
        var last = first.AddTicks(TimeSpan.TicksPerHour - 1);
        if (_zone.IsInvalidTime(first) || _zone.IsInvalidTime(last) || _zone.IsAmbiguousTime(first) || _zone.IsAmbiguousTime(last))
        {
            return null;
        }

        var offset = _zone.GetUtcOffset(first);
        return offset == _zone.GetUtcOffset(last) ? offset : null;
    }

    private sealed record HourOffset(long Hour, TimeSpan Offset);
}
