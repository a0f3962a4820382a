using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Trips.Tests;

public class HoppingWindowsTests
{
    private static readonly HoppingWindows Windows = HoppingWindows.Default;

    [Fact]
    public void An_event_lies_in_two_windows_aligned_to_five_minutes()
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 7, 30, TimeSpan.Zero);

        var starts = Windows.StartsContaining(at).ToList();

        Assert.Equal([new DateTimeOffset(2026, 11, 25, 10, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)], starts);
        Assert.All(starts, s => Assert.True(s <= at && at < Windows.EndOf(s)));
    }

    [Fact]
    public void Windows_are_half_open()
    {
        var boundary = new DateTimeOffset(2026, 11, 25, 10, 10, 0, TimeSpan.Zero);

        var starts = Windows.StartsContaining(boundary).ToList();

        Assert.Contains(boundary, starts);
        Assert.DoesNotContain(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), starts);
    }

    [Fact]
    public void Windows_are_aligned_to_the_epoch_regardless_of_offset()
    {
        var inNewYork = new DateTimeOffset(2026, 11, 25, 5, 7, 0, TimeSpan.FromHours(-5));

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 5, 0, TimeSpan.Zero), Windows.LatestStartAtOrBefore(inNewYork));
    }

    [Fact]
    public void Instants_before_the_epoch_floor_downwards()
    {
        var before = DateTimeOffset.UnixEpoch.AddMinutes(-2);

        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(-5), Windows.LatestStartAtOrBefore(before));
    }
}
