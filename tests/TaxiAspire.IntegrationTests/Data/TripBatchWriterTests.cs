using TaxiAspire.Data.Ingestion;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Data;

public class TripBatchWriterTests(PostgresFixture postgres)
{
    private const string Group = "test-group";
    private static readonly HoppingWindows Windows = HoppingWindows.Default;

    [Fact]
    public async Task A_replayed_batch_changes_nothing()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var batch = Batch(Enumerable.Range(0, 50).Select(i => Trip($"t-{i}", offset: i, vendor: 1 + (i % 2), minute: i)).ToList(), nextOffset: 50);

        var first = await writer.WriteAsync(batch, TestContext.Current.CancellationToken);
        var windowsAfterFirst = await WindowTotalsAsync(db);
        var second = await writer.WriteAsync(batch, TestContext.Current.CancellationToken);

        Assert.Equal(50, first.TripsInserted);
        Assert.Equal(0, second.TripsInserted);
        Assert.Equal(50, second.TripsAlreadyStored);
        Assert.Equal(50, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(windowsAfterFirst, await WindowTotalsAsync(db));
        Assert.Equal(0, await WindowMismatchesAsync(db));
    }

    [Fact]
    public async Task A_trip_counts_once_in_each_of_its_two_windows_even_when_sent_twice_in_one_batch()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var trip = Trip("dup", offset: 0, vendor: 1, minute: 7);

        await writer.WriteAsync(Batch([trip, trip with { Source = trip.Source with { Offset = 1 } }], nextOffset: 2), TestContext.Current.CancellationToken);

        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM trip_windows"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT sum(trip_count)::bigint FROM trip_windows"));
        Assert.Equal(0, await WindowMismatchesAsync(db));
    }

    [Fact]
    public async Task A_batch_after_stored_offsets_is_copied_straight_into_trips_and_sums_its_windows_exactly()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var first = Batch([Trip("a", offset: 0, vendor: 1, minute: 0)], nextOffset: 1);
        // Values with more decimals than the columns keep, and a sub-microsecond pickup: the C#-side window sums must
        // round exactly as PostgreSQL stores them.
        var odd = Trip("b", offset: 1, vendor: 1, minute: 4);
        odd = odd with
        {
            Trip = odd.Trip with { FareAmount = 10.005m, TipAmount = 1.115m },
            TotalAmount = 11.12m,
            PickupUtc = odd.PickupUtc.AddTicks(TimeSpan.TicksPerMinute - 1),
        };
        var second = Batch([odd, Trip("c", offset: 2, vendor: 2, minute: 9)], nextOffset: 3);

        var firstResult = await writer.WriteAsync(first, TestContext.Current.CancellationToken);
        var secondResult = await writer.WriteAsync(second, TestContext.Current.CancellationToken);

        Assert.False(firstResult.CopiedIntoTrips); // a partition's first batch cannot prove its offsets fresh
        Assert.True(secondResult.CopiedIntoTrips);
        Assert.Equal(2, secondResult.TripsInserted);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(0, await WindowMismatchesAsync(db));
    }

    [Fact]
    public async Task A_trip_sent_again_at_a_later_offset_is_stored_once()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        await writer.WriteAsync(Batch([Trip("a", offset: 0, vendor: 1, minute: 0), Trip("b", offset: 1, vendor: 1, minute: 1)], nextOffset: 2), TestContext.Current.CancellationToken);

        // Fresh offsets, but "b" was stored before: the direct COPY is refused and the staging path stores "c" alone.
        var again = await writer.WriteAsync(
            Batch([Trip("b", offset: 2, vendor: 1, minute: 1), Trip("c", offset: 3, vendor: 2, minute: 2)], nextOffset: 4),
            TestContext.Current.CancellationToken);

        Assert.False(again.CopiedIntoTrips);
        Assert.Equal(1, again.TripsInserted);
        Assert.Equal(1, again.TripsAlreadyStored);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(4, (await new ConsumerProgressStore(db.DataSource).LoadAsync(Group, "taxi_trips", [0], TestContext.Current.CancellationToken))[0].NextOffset);
        Assert.Equal(0, await WindowMismatchesAsync(db));
    }

    [Fact]
    public async Task The_stored_offset_never_moves_backwards()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var store = new ConsumerProgressStore(db.DataSource);

        await writer.WriteAsync(Batch([Trip("a", 9, 1, 0)], nextOffset: 10), TestContext.Current.CancellationToken);
        await writer.WriteAsync(Batch([Trip("b", 4, 1, 0)], nextOffset: 5), TestContext.Current.CancellationToken); // a zombie's late batch

        var stored = await store.LoadAsync(Group, "taxi_trips", [0], TestContext.Current.CancellationToken);
        Assert.Equal(10, stored[0].NextOffset);
    }

    [Fact]
    public async Task Rejects_are_stored_once_with_their_reason_in_the_batch_transaction()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var reject = new RejectedMessage(new KafkaSource("taxi_trips", 0, 3, 0, DateTimeOffset.UtcNow), "malformed_json", "not json", "oops"u8.ToArray());
        var batch = new TripBatch(Group, [], [reject], [new PartitionProgress("taxi_trips", 0, 4, 0)]);

        var first = await writer.WriteAsync(batch, TestContext.Current.CancellationToken);
        var second = await writer.WriteAsync(batch, TestContext.Current.CancellationToken);

        Assert.Equal(1, first.RejectsInserted);
        Assert.Equal(0, second.RejectsInserted);
        Assert.Equal("malformed_json", await db.ScalarAsync<string>("SELECT reason FROM rejected_messages"));
        Assert.Equal("oops"u8.ToArray(), await db.ScalarAsync<byte[]>("SELECT payload FROM rejected_messages"));
    }

    [Fact]
    public async Task A_recreated_log_starts_a_new_epoch_so_offset_derived_ids_do_not_collide()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var store = new ConsumerProgressStore(db.DataSource);
        var before = new KafkaSource("taxi_trips", 0, 0, 0, null);
        await writer.WriteAsync(Batch([Trip(before.DerivedTripId(), 0, 1, 0)], nextOffset: 1000), TestContext.Current.CancellationToken);

        var stale = (await store.LoadAsync(Group, "taxi_trips", [0], TestContext.Current.CancellationToken))[0];
        var renewed = await store.StartNewEpochAsync(Group, stale, 0, TestContext.Current.CancellationToken);
        var after = before with { LogEpoch = renewed.LogEpoch };

        Assert.Equal(1, renewed.LogEpoch);
        Assert.Equal(0, renewed.NextOffset);
        Assert.NotEqual(before.DerivedTripId(), after.DerivedTripId());
        var result = await writer.WriteAsync(
            new TripBatch(Group, [Trip(after.DerivedTripId(), 0, 1, 0) with { Source = after }], [], [new PartitionProgress("taxi_trips", 0, 1, 1)]),
            TestContext.Current.CancellationToken);
        Assert.Equal(1, result.TripsInserted);
        Assert.Equal(1, (await store.LoadAsync(Group, "taxi_trips", [0], TestContext.Current.CancellationToken))[0].NextOffset);
    }

    private static TripBatch Batch(IReadOnlyList<StoredTrip> trips, long nextOffset) =>
        new(Group, trips, [], [new PartitionProgress("taxi_trips", 0, nextOffset, 0)]);

    private static StoredTrip Trip(string id, long offset, int vendor, int minute)
    {
        var pickup = new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero).AddMinutes(minute);
        var trip = new TripEvent
        {
            TripId = id,
            VendorId = vendor,
            PickupDateTime = pickup.UtcDateTime,
            PassengerCount = 1,
            TripDistance = 1.5 + minute,
            PaymentType = 1,
            FareAmount = 10m + minute,
            TipAmount = 2.5m,
        };
        return new StoredTrip(id, trip, pickup, null, trip.FareAmount + trip.TipAmount,
            new KafkaSource("taxi_trips", 0, offset, 0, pickup));
    }

    private static Task<string> WindowTotalsAsync(TaxiDatabase db) =>
        db.ScalarAsync<string>("SELECT string_agg(concat_ws(':', vendor_id, window_start, trip_count, fare_sum, tip_sum, total_sum, distance_sum), ',' ORDER BY vendor_id, window_start) FROM trip_windows");

    // Every window equals a recomputation from the stored trips (the chaos runner's check, in miniature).
    private static Task<long> WindowMismatchesAsync(TaxiDatabase db) => db.ScalarAsync<long>("""
        WITH expected AS (
            SELECT t.vendor_id, w.start AS window_start, count(*) AS trip_count, sum(t.fare_amount) AS fare_sum, sum(t.total_amount) AS total_sum
            FROM trips t
            CROSS JOIN LATERAL (VALUES (to_timestamp(floor(extract(epoch FROM t.pickup_at) / 300) * 300)),
                                       (to_timestamp(floor(extract(epoch FROM t.pickup_at) / 300) * 300 - 300))) AS w(start)
            GROUP BY 1, 2
        )
        SELECT count(*) FROM expected e FULL JOIN trip_windows w USING (vendor_id, window_start)
        WHERE e.trip_count IS DISTINCT FROM w.trip_count OR e.fare_sum IS DISTINCT FROM w.fare_sum OR e.total_sum IS DISTINCT FROM w.total_sum
        """);
}
