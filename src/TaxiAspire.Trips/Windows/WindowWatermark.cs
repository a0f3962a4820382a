namespace TaxiAspire.Trips.Windows;

/// <summary>
/// Event-time progress: the newest pickup seen, minus the lateness still accepted. A window whose end is at or before
/// the watermark is closed: reported once downstream. Trips later than that still update the stored aggregate.
/// </summary>
public sealed record WindowWatermark(HoppingWindows Windows, TimeSpan AllowedLateness)
{
    public DateTimeOffset From(DateTimeOffset maxEventTime) => maxEventTime - AllowedLateness;

    public bool IsClosed(DateTimeOffset windowStart, DateTimeOffset watermark) => Windows.EndOf(windowStart) <= watermark;
}
