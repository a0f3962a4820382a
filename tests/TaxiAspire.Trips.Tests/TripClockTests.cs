using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Trips.Tests;

public class TripClockTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData(2026, 3, 8)] // spring forward: 02:00-02:59 does not exist
    [InlineData(2026, 11, 1)] // fall back: 01:00-01:59 happens twice
    public void Converting_minute_by_minute_across_a_DST_change_matches_the_zone(int year, int month, int day)
    {
        var clock = new TripClock("America/New_York");
        var start = new DateTime(year, month, day, 0, 0, 0);
        foreach (var minute in Enumerable.Range(0, 4 * 60).Concat(Enumerable.Range(0, 4 * 60).Reverse()))
        {
            var wallClock = start.AddMinutes(minute);
            Assert.Equal(Expected(wallClock), clock.ToUtc(wallClock));
        }
    }

    [Fact]
    public void Skipped_and_repeated_hours_take_the_standard_offset()
    {
        var clock = new TripClock("America/New_York");

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), clock.ToUtc(new DateTime(2026, 3, 8, 2, 30, 0)));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 6, 30, 0, TimeSpan.Zero), clock.ToUtc(new DateTime(2026, 11, 1, 1, 30, 0)));
    }

    // The rule without any caching: the zone's offset, the standard one for a skipped time.
    private static DateTimeOffset Expected(DateTime wallClock) =>
        new DateTimeOffset(wallClock, NewYork.IsInvalidTime(wallClock) ? NewYork.BaseUtcOffset : NewYork.GetUtcOffset(wallClock)).ToUniversalTime();
}
