namespace TaxiAspire.Trips.Contract;

/// <summary>
/// Translates between the contract's offset-less wall-clock timestamps and instants, in the configured zone
/// (<see cref="Validation.TripValidationOptions.TimeZone"/>, default America/New_York as in TLC data).
/// </summary>
public sealed class TripClock(string timeZoneId)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    public TimeZoneInfo TimeZone => _zone;

    /// <summary>The instant a wall-clock time denotes. Skipped or repeated DST hours resolve to the standard offset.</summary>
    public DateTimeOffset ToUtc(DateTime wallClock)
    {
        var offset = _zone.IsInvalidTime(wallClock) ? _zone.BaseUtcOffset : _zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }

    /// <summary>The wall-clock time in the zone for an instant (what producers stamp).</summary>
    public DateTime ToWallClock(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime;
}
