using Npgsql;
using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Api.LoadTest;

/// <summary>
/// Writes live trips while the load runs, through the processor's own batch writer (COPY, window upserts, offsets in
/// one transaction, ten batches a second): the database sees the write load of a running stream.
/// </summary>
internal sealed class TripStreamer(NpgsqlDataSource dataSource, int tripsPerSecond)
{
    private const int BatchesPerSecond = 10;
    private readonly TripBatchWriter _writer = new(dataSource, HoppingWindows.Default);
    private long _next;

    public long Written => Interlocked.Read(ref _next);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var perBatch = Math.Max(1, tripsPerSecond / BatchesPerSecond);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / BatchesPerSecond));
        var runId = Guid.NewGuid().ToString("N")[..8];
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = DateTimeOffset.UtcNow;
                var first = Interlocked.Read(ref _next);
                var trips = new List<StoredTrip>(perBatch);
                for (var i = 0; i < perBatch; i++)
                {
                    var n = first + i;
                    var trip = new TripEvent
                    {
                        TripId = $"live-{runId}-{n}",
                        VendorId = 1 + (int)(n % 2),
                        PickupDateTime = now.UtcDateTime,
                        PassengerCount = 1,
                        TripDistance = 1 + (n % 11),
                        PaymentType = 1,
                        FareAmount = 5m + (n % 40),
                        TipAmount = 1m + (n % 5),
                    };
                    trips.Add(new StoredTrip(trip.TripId, trip, now, null, trip.FareAmount + trip.TipAmount,
                        new KafkaSource("taxi_trips_live", 0, n, 0, now)));
                }

                await _writer.WriteAsync(
                    new TripBatch("taxi-processor", trips, [], [new PartitionProgress("taxi_trips_live", 0, first + perBatch, 0)]),
                    cancellationToken);
                Interlocked.Add(ref _next, perBatch);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
