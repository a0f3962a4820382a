using Confluent.Kafka;
using Microsoft.Extensions.Options;
using TaxiAspire.Producer.Simulation;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.Producer.Publishing;

/// <summary>
/// Publishes simulated trips at a steady rate, stamped with the current New York wall-clock time. Sends are
/// fire-and-forget with a delivery report: the idempotent producer retries, failures are logged and counted.
/// </summary>
internal sealed partial class TripPublisher(
    IProducer<string, byte[]> producer,
    IOptions<TripPublisherOptions> options,
    TripClock clock,
    TimeProvider timeProvider,
    ILogger<TripPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var simulator = new TripSimulator(settings.Seed);
        LogStarting(logger, settings.Topic, settings.RatePerSecond);

        var started = timeProvider.GetTimestamp();
        long sent = 0;
        using var timer = new PeriodicTimer(Tick, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Catch up to where the rate says we should be, so pacing does not drift with timer jitter.
            var due = (long)(timeProvider.GetElapsedTime(started).TotalSeconds * settings.RatePerSecond);
            for (; sent < due && !stoppingToken.IsCancellationRequested; sent++)
            {
                var trip = simulator.Next(clock.ToWallClock(timeProvider.GetUtcNow()));
                Publish(settings.Topic, trip);
            }
        }
    }

    private void Publish(string topic, TripEvent trip)
    {
        var message = new Message<string, byte[]> { Key = trip.TripId!, Value = TripJsonCodec.Encode(trip) };
        try
        {
            producer.Produce(topic, message, report =>
            {
                if (report.Error.IsError)
                {
                    LogDeliveryFailed(logger, report.Message.Key, report.Error.Reason);
                }
            });
        }
        catch (ProduceException<string, byte[]> ex)
        {
            LogDeliveryFailed(logger, trip.TripId!, ex.Error.Reason);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        producer.Flush(TimeSpan.FromSeconds(5));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing simulated trips to {Topic} at {Rate}/s")]
    private static partial void LogStarting(ILogger logger, string topic, double rate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trip {TripId} was not delivered: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string tripId, string reason);
}
