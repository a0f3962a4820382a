using TaxiAspire.StreamProcessor.Building;
using TaxiAspire.StreamProcessor.Storage;
using TaxiAspire.IntegrationTests.Infrastructure;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.IntegrationTests.Data;

public class TripBatchWriterTests(PostgresFixture postgres)
{
    private const string Group = "test-group";

    private const string Compared = """
        trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude, pickup_latitude,
        dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount, total_amount, source_topic,
        source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly
        """;
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
    public async Task Batches_that_queued_on_a_lane_commit_as_one_and_store_each_trip_once()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        await writer.WriteAsync(Batch([Trip("t-0", offset: 0, vendor: 1, minute: 0)], nextOffset: 1), TestContext.Current.CancellationToken);
        var second = Batch([Trip("t-1", offset: 1, vendor: 2, minute: 3), Trip("t-2", offset: 2, vendor: 1, minute: 4)], nextOffset: 3);
        var third = Batch([Trip("t-3", offset: 3, vendor: 1, minute: 8)], nextOffset: 4);

        var both = await writer.WriteAsync(second.FollowedBy(third)!, TestContext.Current.CancellationToken);
        var thirdAgain = await writer.WriteAsync(third, TestContext.Current.CancellationToken);

        Assert.True(both.CopiedIntoTrips);
        Assert.Equal(3, both.TripsInserted);
        Assert.Equal(0, thirdAgain.TripsInserted);
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(4, await db.ScalarAsync<long>($"SELECT next_offset FROM consumer_offsets WHERE consumer_group = '{Group}'"));
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
    public async Task Every_column_is_stored_exactly_as_through_Npgsqls_own_parameters()
    {
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows);
        var cases = new (decimal Fare, decimal Tip, TripScore? Score)[]
        {
            (0m, 0m, null), (0.01m, 0.5m, new TripScore(0.004m, "1", false)), (1.005m, -1.25m, new TripScore(9999.995m, "v-é", true)),
            (12.345m, 2.5m, new TripScore(0m, "2", false)), (10000m, 0.1m, null), (100000000m, 99.99m, null), (9999999999.94m, 0.05m, null),
        };
        var trips = cases.Select((c, i) =>
        {
            var trip = Trip(i == 2 ? "trip-é-\U0001F695" : $"col-{i}", offset: i, vendor: 1 + (i % 2), minute: i);
            return trip with
            {
                Trip = trip.Trip with
                {
                    FareAmount = c.Fare,
                    TipAmount = c.Tip,
                    TripDistance = i * 1.1,
                    PickupLongitude = i % 3 == 0 ? null : -73.98 - i / 7.0,
                    DropoffLatitude = i % 2 == 0 ? 40.7 + i / 3.0 : null,
                    RateCodeId = i % 2 == 0 ? null : i,
                    PassengerCount = i,
                },
                TotalAmount = c.Fare + c.Tip,
                // Sub-microsecond ticks, and instants before PostgreSQL's epoch (2000-01-01), truncate like Npgsql's.
                PickupUtc = trip.PickupUtc.AddTicks(i * 7 + 3).AddYears(i == 4 ? -30 : 0),
                DropoffUtc = i % 2 == 0 ? null : trip.PickupUtc.AddTicks(-i),
                Source = trip.Source with { Timestamp = i == 5 ? null : new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_995) },
                Score = c.Score,
            };
        }).ToList();

        // The first batch takes the staging path, the second the COPY straight into trips: both encode rows the same way.
        await writer.WriteAsync(Batch(trips[..1], nextOffset: 1), TestContext.Current.CancellationToken);
        Assert.True((await writer.WriteAsync(Batch(trips[1..], nextOffset: trips.Count), TestContext.Current.CancellationToken)).CopiedIntoTrips);

        await using (var create = db.DataSource.CreateCommand("CREATE TABLE expected_trips (LIKE trips INCLUDING DEFAULTS INCLUDING IDENTITY)"))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        foreach (var t in trips)
        {
            await using var insert = db.DataSource.CreateCommand($"INSERT INTO expected_trips ({Compared}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20, @p21)");
            object?[] values =
            [
                t.TripId, (short)t.Trip.VendorId, t.PickupUtc, t.DropoffUtc, (short)t.Trip.PassengerCount, t.Trip.TripDistance,
                t.Trip.PickupLongitude, t.Trip.PickupLatitude, t.Trip.DropoffLongitude, t.Trip.DropoffLatitude, (short)t.Trip.PaymentType,
                (short?)t.Trip.RateCodeId, t.Trip.FareAmount, t.Trip.TipAmount, t.TotalAmount, t.Source.Topic, t.Source.Partition,
                t.Source.Offset, t.Source.Timestamp, t.Score?.Prediction, t.Score?.ModelVersion, t.Score?.IsFareAnomaly,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.AddWithValue($"p{i}", values[i] ?? DBNull.Value);
            }

            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(trips.Count, await db.ScalarAsync<long>("SELECT count(*) FROM trips"));
        Assert.Equal(0, await db.ScalarAsync<long>($"""
            SELECT count(*) FROM ((SELECT {Compared} FROM trips EXCEPT SELECT {Compared} FROM expected_trips)
                            UNION ALL (SELECT {Compared} FROM expected_trips EXCEPT SELECT {Compared} FROM trips)) differences
            """));
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

    [Fact]
    public async Task A_window_closes_once_the_slowest_partitions_newest_pickup_less_the_lateness_reaches_its_end()
    {
        // The watermark rule lives in the batch transaction's SQL; this is its test.
        await using var db = await TaxiDatabase.CreateAsync(postgres);
        var writer = new TripBatchWriter(db.DataSource, Windows, allowedLateness: TimeSpan.FromMinutes(5));
        var at = new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
        var ct = TestContext.Current.CancellationToken;
        // The trip at 15:00 lies in [14:55, 15:05) and [15:00, 15:10).
        TripBatch Progress(int partition, long next, DateTimeOffset newest, params StoredTrip[] trips) =>
            new(Group, trips, [], [new PartitionProgress("taxi_trips", partition, next, 0, newest)]);

        var notYet = await writer.WriteAsync(Progress(0, 1, at.AddMinutes(10).AddTicks(-1), Trip("a", offset: 0, vendor: 1, minute: 0)), ct);
        var first = await writer.WriteAsync(Progress(0, 2, at.AddMinutes(10)), ct);
        var heldBack = await writer.WriteAsync(Progress(1, 1, at), ct); // a slower partition holds the watermark at 14:55
        var stillHeld = await writer.WriteAsync(Progress(0, 3, at.AddMinutes(20)), ct);
        var second = await writer.WriteAsync(Progress(1, 2, at.AddMinutes(15)), ct);
        var again = await writer.WriteAsync(Progress(1, 3, at.AddMinutes(30)), ct);

        Assert.Equal((0, 1, 0, 0, 1, 0), (notYet.WindowsClosed, first.WindowsClosed, heldBack.WindowsClosed, stillHeld.WindowsClosed, second.WindowsClosed, again.WindowsClosed));
        Assert.Equal(
            $"{at.AddMinutes(-5).ToUnixTimeSeconds()}|{at.ToUnixTimeSeconds()}",
            await db.ScalarAsync<string>("SELECT string_agg(extract(epoch FROM window_start)::bigint::text, '|' ORDER BY window_start) FROM window_publications"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM trip_windows WHERE closed_at IS NULL"));
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
