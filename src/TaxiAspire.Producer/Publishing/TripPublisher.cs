using Microsoft.Extensions.Options;
using TaxiAspire.Producer.Control;
using TaxiAspire.Producer.Simulation;

namespace TaxiAspire.Producer.Publishing;

/// <summary>
/// The service's loop: simulated trips at the controlled rate on the live (or accelerated) event clock, plus the
/// bursts asked for from the dashboard. Never crashes on Kafka trouble: the sink backs off while the broker is away.
/// </summary>
internal sealed partial class TripPublisher(
    KafkaTripSink sink,
    TripMessageFactory messages,
    ProducerControl control,
    LiveEventClock clock,
    IOptions<TripPublisherOptions> options,
    TimeProvider time,
    ILogger<TripPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FlushSlice = TimeSpan.FromMilliseconds(100);

    // Per tick at most this many: a burst of a million or a catch-up after a stall spreads over ticks and stays stoppable.
    private const long MaxPerTick = 20_000;

    private long _published;
    private long _dirty;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var simulator = TripSimulator.ForLiveRun(settings.Seed, time.GetUtcNow());
        var pacer = new RatePacer(time, control.RatePerSecond);
        var version = control.Version;
        LogStarting(logger, sink.Topic, control.RatePerSecond, settings.DirtyRatio, settings.Speed, control.Paused);

        using var timer = new PeriodicTimer(Tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (control.Version != version)
            {
                version = control.Version;
                pacer.Reset(control.RatePerSecond);
                LogControlsChanged(logger, control.Paused, control.RatePerSecond);
            }

            var (burst, dirtyBurst) = control.TakeBurst(MaxPerTick);
            for (var i = 0L; i < dirtyBurst; i++) await PublishAsync(simulator, forceDirty: true, stoppingToken);
            for (var i = 0L; i < burst; i++) await PublishAsync(simulator, forceDirty: false, stoppingToken);

            if (!control.Paused)
            {
                var due = Math.Min(pacer.Due(), MaxPerTick);
                for (var i = 0L; i < due; i++) await PublishAsync(simulator, forceDirty: false, stoppingToken);
                pacer.Sent(due);
            }
            else
            {
                // Paused time is not owed: resuming starts a fresh baseline.
                pacer.Reset(control.RatePerSecond);
            }

            control.Record(_published, _dirty, sink.DeliveryFailures);
        }
    }

    private async ValueTask PublishAsync(TripSimulator simulator, bool forceDirty, CancellationToken cancellationToken)
    {
        var trip = simulator.Next(clock.Now());
        var (value, isDirty) = messages.Create(trip, forceDirty);
        await sink.PublishAsync(trip.TripId!, value, isDirty, cancellationToken);
        _published++;
        if (isDirty) _dirty++;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Deliveries may take what is left of the host's stop budget (ServiceLifetime:ShutdownTimeout), no more: with
        // the broker gone they would otherwise wait out the message timeout.
        int undelivered;
        do
        {
            undelivered = sink.Flush(FlushSlice);
        }
        while (undelivered > 0 && !cancellationToken.IsCancellationRequested);

        if (undelivered > 0) LogUndelivered(logger, undelivered);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Publishing simulated trips to {Topic} at {Rate}/s, {DirtyRatio:P1} dirty, event clock ×{Speed}, paused: {Paused}")]
    private static partial void LogStarting(ILogger logger, string topic, double rate, double dirtyRatio, double speed, bool paused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Controls changed: paused {Paused}, {Rate} trips/s")]
    private static partial void LogControlsChanged(ILogger logger, bool paused, double rate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} trips were still undelivered at shutdown")]
    private static partial void LogUndelivered(ILogger logger, int count);
}
