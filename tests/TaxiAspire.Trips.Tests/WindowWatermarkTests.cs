using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Trips.Tests;

public class WindowWatermarkTests
{
    private static readonly WindowWatermark Watermark = new(HoppingWindows.Default, TimeSpan.FromMinutes(5));

    [Fact]
    public void The_watermark_trails_the_newest_event_by_the_allowed_lateness()
    {
        var newest = new DateTimeOffset(2026, 3, 2, 10, 17, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 12, 0, TimeSpan.Zero), Watermark.From(newest));
    }

    [Fact]
    public void A_window_closes_once_the_watermark_reaches_its_end_and_not_before()
    {
        var start = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero); // [10:00, 10:10)

        Assert.False(Watermark.IsClosed(start, Watermark.From(start.AddMinutes(14).AddSeconds(59))));
        Assert.True(Watermark.IsClosed(start, Watermark.From(start.AddMinutes(15))));
    }
}
