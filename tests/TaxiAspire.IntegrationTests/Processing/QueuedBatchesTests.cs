using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.Trips.Contract;

namespace TaxiAspire.IntegrationTests.Processing;

// Pure logic, no infrastructure: when batches that queued on a write lane may commit as one (TripBatch.FollowedBy).
// TripBatchWriterTests writes such a batch to PostgreSQL.
public sealed class QueuedBatchesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Two_batches_become_one_that_stores_the_later_progress_and_the_newest_event_time()
    {
        var first = Batch([Trip(0, 3, minute: 9), Trip(1, 7, minute: 2)], [Progress(0, 4, epoch: 0, minute: 9), Progress(1, 8, epoch: 0, minute: 2)]);
        var second = Batch([Trip(0, 4, minute: 5), Trip(2, 0, minute: 6)], [Progress(0, 5, epoch: 0, minute: 5), Progress(2, 1, epoch: 0, minute: 6)]);

        var both = first.FollowedBy(second);

        Assert.NotNull(both);
        Assert.Equal(["0@3", "1@7", "0@4", "2@0"], both.Trips.Select(t => $"{t.Source.Partition}@{t.Source.Offset}"));
        Assert.Equal(
            [(0, 5L, At.AddMinutes(9)), (1, 8L, At.AddMinutes(2)), (2, 1L, At.AddMinutes(6))],
            both.Progress.Select(p => (p.Partition, p.NextOffset, p.MaxEventTime!.Value)));
    }

    [Fact]
    public void A_batch_that_reads_again_what_the_first_holds_stays_apart()
    {
        // The partition was revoked and assigned back between the two: the second was read again from the stored offset.
        var first = Batch([Trip(0, 3, minute: 1), Trip(0, 4, minute: 2)], [Progress(0, 5, epoch: 0, minute: 2)]);
        var again = Batch([Trip(0, 4, minute: 2), Trip(0, 5, minute: 3)], [Progress(0, 6, epoch: 0, minute: 3)]);

        Assert.Null(first.FollowedBy(again));
    }

    [Fact]
    public void A_partition_whose_log_epoch_changed_between_them_keeps_them_apart()
    {
        var first = Batch([Trip(0, 3, minute: 1)], [Progress(0, 4, epoch: 0, minute: 1)]);
        var recreated = Batch([Trip(0, 0, minute: 2, epoch: 1)], [Progress(0, 1, epoch: 1, minute: 2)]);

        Assert.Null(first.FollowedBy(recreated));
    }

    private static TripBatch Batch(IReadOnlyList<StoredTrip> trips, IReadOnlyList<PartitionProgress> progress) =>
        new("g", trips, [], progress);

    private static PartitionProgress Progress(int partition, long next, int epoch, int minute) =>
        new("taxi_trips", partition, next, epoch, At.AddMinutes(minute));

    private static StoredTrip Trip(int partition, long offset, int minute, int epoch = 0)
    {
        var pickup = At.AddMinutes(minute);
        var trip = new TripEvent { TripId = $"p{partition}-{offset}", VendorId = 1, PickupDateTime = pickup.UtcDateTime, PassengerCount = 1, TripDistance = 1, PaymentType = 1, FareAmount = 5, TipAmount = 0 };
        return new StoredTrip(trip.TripId, trip, pickup, null, 5, new KafkaSource("taxi_trips", partition, offset, epoch, pickup));
    }
}
