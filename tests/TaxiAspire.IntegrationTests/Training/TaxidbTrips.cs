using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.IntegrationTests.Data;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Features;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Training;

/// <summary>Stores model rows as trips in taxidb with the processor's own batch writer: one second apart, optionally scored.</summary>
internal static class TaxidbTrips
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes <paramref name="rows"/> as trips <c>first..</c> (pickup <see cref="Start"/> + n seconds, offset n of
    /// partition 0); <paramref name="score"/> gives a trip's stored prediction and model version, or null for none.
    /// </summary>
    public static async Task WriteAsync(TaxiDatabase database, IReadOnlyList<FareModelInput> rows, int first, Func<int, FareModelInput, TripScore?>? score = null)
    {
        var trips = rows.Select((row, i) => Trip(first + i, row) with { Score = score?.Invoke(first + i, row) }).ToList();
        await new TripBatchWriter(database.DataSource, HoppingWindows.Default).WriteAsync(
            new TripBatch("stream-processor", trips, [], [new PartitionProgress("taxi_trips", 0, first + rows.Count, 0)]),
            TestContext.Current.CancellationToken);
    }

    private static StoredTrip Trip(int n, FareModelInput row)
    {
        var pickup = Start.AddSeconds(n);
        DateTimeOffset? dropoff = float.IsNaN(row.TripSeconds) ? null : pickup.AddSeconds(Math.Round(row.TripSeconds));
        var trip = new TripEvent
        {
            TripId = $"trip-{n:D6}",
            VendorId = (int)row.VendorId,
            PickupDateTime = pickup.UtcDateTime,
            DropoffDateTime = dropoff?.UtcDateTime,
            PassengerCount = (int)row.PassengerCount,
            TripDistance = row.TripDistance,
            PaymentType = (int)row.PaymentType,
            RateCodeId = float.IsNaN(row.RateCode) ? null : (int)row.RateCode,
            FareAmount = Math.Round((decimal)row.FareAmount, 2),
            TipAmount = 0,
        };
        return new StoredTrip(trip.TripId, trip, pickup, dropoff, trip.FareAmount, new KafkaSource("taxi_trips", 0, n, 0, pickup));
    }
}
