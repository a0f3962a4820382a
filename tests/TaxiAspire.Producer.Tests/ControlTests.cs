using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TaxiAspire.Producer.Control;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Producer.Simulation;

namespace TaxiAspire.Producer.Tests;

public sealed class ControlTests
{
    [Fact]
    public void Bursts_are_handed_out_dirty_first_and_in_bounded_chunks()
    {
        var control = new ProducerControl(Options.Create(new TripPublisherOptions()));
        control.RequestBurst(30, dirty: false);
        control.RequestBurst(15, dirty: true);

        Assert.Equal((5L, 15L), control.TakeBurst(20));
        Assert.Equal((20L, 0L), control.TakeBurst(20));
        Assert.Equal((5L, 0L), control.TakeBurst(20));
        Assert.Equal((0L, 0L), control.TakeBurst(20));
        Assert.Throws<ArgumentOutOfRangeException>(() => control.RequestBurst(0, dirty: false));
    }

    [Fact]
    public void Pause_resume_and_rate_bump_the_version_the_publisher_watches()
    {
        var control = new ProducerControl(Options.Create(new TripPublisherOptions { RatePerSecond = 20, StartPaused = true }));
        Assert.True(control.Paused);
        var version = control.Version;
        control.Resume();
        control.SetRate(250);
        Assert.False(control.Paused);
        Assert.Equal(250, control.Status().TripsPerSecond);
        Assert.Equal(version + 2, control.Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => control.SetRate(0));
    }

    [Fact]
    public void Pacer_keeps_the_rate_over_jittery_ticks_and_rebases_on_change()
    {
        var time = new FakeTimeProvider();
        var pacer = new RatePacer(time, 100);
        time.Advance(TimeSpan.FromMilliseconds(73));
        Assert.Equal(7, pacer.Due());
        pacer.Sent(7);
        time.Advance(TimeSpan.FromMilliseconds(227));
        Assert.Equal(23, pacer.Due());
        pacer.Reset(10);
        Assert.Equal(0, pacer.Due());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, pacer.Due());
        Assert.Equal(long.MaxValue, new RatePacer(time, null).Due());
    }

    [Fact]
    public void Accelerated_clock_runs_faster_and_never_more_than_half_a_day_ahead()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 16, 0, 0, TimeSpan.Zero));
        var live = new LiveEventClock(time, TestTrips.Clock, 1);
        var fast = new LiveEventClock(time, TestTrips.Clock, 60);
        var first = fast.Now();
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromHours(1), fast.Now() - first);
        Assert.Equal(TestTrips.Clock.ToWallClock(time.GetUtcNow()), live.Now());
        for (var i = 0; i < 200; i++)
        {
            time.Advance(TimeSpan.FromMinutes(7));
            Assert.InRange(fast.Now() - live.Now(), TimeSpan.FromHours(-12.1), TimeSpan.FromHours(12));
        }
    }
}
