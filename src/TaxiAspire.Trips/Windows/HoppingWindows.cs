namespace TaxiAspire.Trips.Windows;

/// <summary>
/// The hopping-window rule: windows of <see cref="Size"/> that start every <see cref="Slide"/>, aligned to the Unix
/// epoch, half-open <c>[start, end)</c>. With the defaults (10 min every 5 min) each event lies in exactly two windows.
/// </summary>
public sealed record HoppingWindows(TimeSpan Size, TimeSpan Slide)
{
    public static HoppingWindows Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

    /// <summary>How many windows contain any given instant.</summary>
    public int WindowsPerEvent => (int)(Size.Ticks / Slide.Ticks);

    /// <summary>The start of every window containing <paramref name="eventTime"/>, newest first.</summary>
    public IEnumerable<DateTimeOffset> StartsContaining(DateTimeOffset eventTime)
    {
        var latest = LatestStartAtOrBefore(eventTime);
        for (var i = 0; i < WindowsPerEvent; i++)
        {
            yield return latest - (Slide * i);
        }
    }

    /// <summary>The newest window start at or before <paramref name="eventTime"/>.</summary>
    public DateTimeOffset LatestStartAtOrBefore(DateTimeOffset eventTime)
    {
        var ticks = eventTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var floor = ticks - (((ticks % Slide.Ticks) + Slide.Ticks) % Slide.Ticks);
        return DateTimeOffset.UnixEpoch.AddTicks(floor);
    }

    public DateTimeOffset EndOf(DateTimeOffset windowStart) => windowStart + Size;
}
