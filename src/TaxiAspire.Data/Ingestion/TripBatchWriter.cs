using Npgsql;
using NpgsqlTypes;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Data.Ingestion;

/// <summary>
/// Writes a micro-batch exactly once: trips, the window contributions of the trips actually inserted, the rejects and
/// the partitions' next offsets, all in one transaction. Replaying a batch, or a zombie consumer writing one, therefore
/// changes nothing. With a <see cref="WindowWatermark"/> the same transaction also closes the windows the watermark has
/// passed and records each once in <c>window_publications</c>, the outbox the window publisher drains.
/// </summary>
/// <remarks>
/// Two ways in. The fast path binary-COPYs straight into <c>trips</c>: it is taken when the batch's partitions' stored
/// offsets, locked first, show that none of its messages was stored before, so the only possible duplicate is a trip
/// sent twice under one id, which the primary key refuses (the COPY then rolls back to a savepoint). The safe path
/// COPYs into a staging table and inserts what is not stored yet: a partition's first batch, a batch overlapping stored
/// offsets (a zombie, a replay) and a repeated trip id take it.
/// </remarks>
public sealed class TripBatchWriter(NpgsqlDataSource dataSource, HoppingWindows windows, WindowWatermark? watermark = null)
{
    // Created per batch and dropped at commit: the pool's session reset (DISCARD ALL) would drop it anyway when the
    // connection goes back, so IF NOT EXISTS never found one, and ON COMMIT DROP saves truncating it first. No window
    // array per row: the window sums are built in C# from the rows the INSERT actually stored.
    private const string CreateStaging = """
        CREATE TEMP TABLE trip_staging (
            trip_id text, vendor_id smallint, pickup_at timestamptz, dropoff_at timestamptz, passenger_count smallint,
            trip_distance double precision, pickup_longitude double precision, pickup_latitude double precision,
            dropoff_longitude double precision, dropoff_latitude double precision, payment_type smallint,
            rate_code_id smallint, fare_amount numeric(12,2), tip_amount numeric(12,2), total_amount numeric(12,2),
            source_topic text, source_partition integer, source_offset bigint, kafka_timestamp timestamptz,
            prediction numeric(12,2), model_version text, is_fare_anomaly boolean
        ) ON COMMIT DROP
        """;

    private const string CopyColumns = """
        (trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
            pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
            total_amount, source_topic, source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly)
        """;

    private const short CopyFieldCount = 22;

    private const string CopyStaging = "COPY trip_staging " + CopyColumns + " FROM STDIN (FORMAT BINARY)";

    private const string CopyTrips = "COPY trips " + CopyColumns + " FROM STDIN (FORMAT BINARY)";

    // Locks the batch's progress rows (in one order for every writer) for the rest of the transaction: another writer
    // of the same partitions, e.g. a zombie, waits here and then finds the offsets moved.
    private const string LockProgress = """
        SELECT co.topic, co.partition, co.next_offset, co.log_epoch FROM consumer_offsets co
        JOIN unnest(@topics, @partitions) AS b(topic, partition) ON b.topic = co.topic AND b.partition = co.partition
        WHERE co.consumer_group = @group
        ORDER BY co.topic, co.partition
        FOR UPDATE OF co
        """;

    private const string FastPathSavepoint = "copy_into_trips";

    // Whatever the server's default: once the processor sees a batch committed it reads on from the next offset, so a
    // commit that a PostgreSQL crash could still undo (synchronous_commit = off) would lose that batch for good.
    private const string DurableCommit = "SET LOCAL synchronous_commit TO on";

    // The staging rows are unique by trip_id (deduplicated in C#), so no DISTINCT ON sort. RETURNING gives the values
    // as stored (rounded to the columns' scale): the window sums are built from exactly what a recomputation would sum.
    private const string InsertTrips = """
        INSERT INTO trips (trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
            pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
            total_amount, source_topic, source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly)
        SELECT trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
            pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
            total_amount, source_topic, source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly
        FROM trip_staging
        ON CONFLICT (trip_id) DO NOTHING
        RETURNING vendor_id, pickup_at, fare_amount, tip_amount, total_amount, trip_distance, prediction
        """;

    // The contributions arrive sorted by (vendor, window start): one lock order for every writer, so replicas updating
    // the same windows wait instead of deadlocking.
    private const string UpsertWindows = """
        INSERT INTO trip_windows AS tw (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum,
            scored_count, abs_error_sum)
        SELECT c.vendor_id, c.window_start, c.window_start + @window_size, c.trip_count, c.fare_sum, c.tip_sum, c.total_sum,
            c.distance_sum, c.scored_count, c.abs_error_sum
        FROM unnest(@vendor_ids, @window_starts, @trip_counts, @fare_sums, @tip_sums, @total_sums, @distance_sums, @scored_counts, @abs_error_sums)
            WITH ORDINALITY AS c(vendor_id, window_start, trip_count, fare_sum, tip_sum, total_sum, distance_sum, scored_count, abs_error_sum, ord)
        ORDER BY c.ord
        ON CONFLICT (vendor_id, window_start) DO UPDATE SET
            trip_count = tw.trip_count + excluded.trip_count,
            fare_sum = tw.fare_sum + excluded.fare_sum,
            tip_sum = tw.tip_sum + excluded.tip_sum,
            total_sum = tw.total_sum + excluded.total_sum,
            distance_sum = tw.distance_sum + excluded.distance_sum,
            scored_count = tw.scored_count + excluded.scored_count,
            abs_error_sum = tw.abs_error_sum + excluded.abs_error_sum,
            updated_at = now()
        """;

    private const string InsertRejects = """
        INSERT INTO rejected_messages (topic, partition, log_epoch, "offset", reason, detail, payload, kafka_timestamp)
        SELECT * FROM unnest(@topics, @partitions, @epochs, @offsets, @reasons, @details, @payloads, @timestamps)
        ON CONFLICT DO NOTHING
        """;

    // A stored offset never moves backwards within a log epoch; a stale epoch (a zombie) never overwrites a newer one.
    // The fingerprint belongs to the message before next_offset, so it moves only with the offset.
    private const string UpsertProgress = """
        INSERT INTO consumer_offsets AS co (consumer_group, topic, partition, next_offset, log_epoch, max_event_time, last_message_fingerprint)
        SELECT @group, * FROM unnest(@topics, @partitions, @offsets, @epochs, @max_event_times, @fingerprints)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
            next_offset = GREATEST(co.next_offset, excluded.next_offset),
            last_message_fingerprint = CASE WHEN excluded.next_offset >= co.next_offset
                THEN excluded.last_message_fingerprint ELSE co.last_message_fingerprint END,
            max_event_time = GREATEST(co.max_event_time, excluded.max_event_time),
            updated_at = now()
        WHERE co.log_epoch = excluded.log_epoch
        """;

    // The watermark is the slowest partition's newest pickup minus the allowed lateness. A window is closed at most
    // once (closed_at IS NULL re-checked under the row lock), and its snapshot goes to the publication outbox.
    private const string CloseWindows = """
        WITH wm AS (
            SELECT min(max_event_time) - @lateness AS watermark FROM consumer_offsets
            WHERE consumer_group = @group AND topic = ANY(@topics) AND max_event_time IS NOT NULL
        ),
        closed AS (
            UPDATE trip_windows tw SET closed_at = now()
            FROM wm
            WHERE tw.closed_at IS NULL AND tw.window_end <= wm.watermark
            RETURNING tw.vendor_id, tw.window_start, tw.window_end, tw.trip_count, tw.fare_sum, tw.tip_sum, tw.total_sum,
                      tw.distance_sum, wm.watermark
        ),
        published AS (
            INSERT INTO window_publications (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum, watermark)
            SELECT * FROM closed ORDER BY vendor_id, window_start
            ON CONFLICT (vendor_id, window_start) DO NOTHING
            RETURNING 1
        )
        SELECT count(*)::int FROM published
        """;

    public Task<BatchWriteResult> WriteAsync(TripBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(batch, Task.CompletedTask, cancellationToken);

    /// <summary>
    /// Writes the batch, committing only once <paramref name="commitPrerequisite"/> has succeeded (the dead letters'
    /// delivery): it runs meanwhile, and when it fails the transaction rolls back.
    /// </summary>
    public async Task<BatchWriteResult> WriteAsync(TripBatch batch, Task commitPrerequisite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(commitPrerequisite);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var durable = new NpgsqlCommand(DurableCommit, connection))
        {
            await durable.ExecuteNonQueryAsync(cancellationToken);
        }

        var inserted = 0;
        var copiedIntoTrips = false;
        if (batch.Trips.Count > 0)
        {
            var trips = Deduplicate(batch.Trips);
            var contributions = new SortedDictionary<(short VendorId, DateTimeOffset WindowStart), WindowContribution>();
            int? copied = await HoldsOnlyNewMessagesAsync(connection, batch, cancellationToken)
                ? await TryCopyIntoTripsAsync(connection, transaction, trips, contributions, cancellationToken)
                : null;
            copiedIntoTrips = copied is not null;
            inserted = copied ?? await InsertThroughStagingAsync(connection, trips, contributions, cancellationToken);
            if (contributions.Count > 0)
            {
                await UpsertWindowsAsync(connection, contributions, cancellationToken);
            }
        }

        var rejects = batch.Rejects.Count > 0 ? await InsertRejectsAsync(connection, batch.Rejects, cancellationToken) : 0;
        var closed = 0;
        if (batch.Progress.Count > 0)
        {
            await UpsertProgressAsync(connection, batch.ConsumerGroup, batch.Progress, cancellationToken);
            if (watermark is not null)
            {
                closed = await CloseWindowsAsync(connection, batch, watermark.AllowedLateness, cancellationToken);
            }
        }

        await commitPrerequisite;
        await transaction.CommitAsync(cancellationToken);
        return new BatchWriteResult(inserted, batch.Trips.Count - inserted, rejects, closed, copiedIntoTrips);
    }

    // A batch may carry the same trip twice (a producer retry); the copy with the lowest (partition, offset) wins, so a
    // replayed batch picks the same copy.
    private static List<StoredTrip> Deduplicate(IReadOnlyList<StoredTrip> trips)
    {
        var firstIndex = new Dictionary<string, int>(trips.Count, StringComparer.Ordinal);
        var unique = new List<StoredTrip>(trips.Count);
        foreach (var trip in trips)
        {
            if (!firstIndex.TryGetValue(trip.TripId, out var index))
            {
                firstIndex.Add(trip.TripId, unique.Count);
                unique.Add(trip);
            }
            else if ((trip.Source.Partition, trip.Source.Offset).CompareTo((unique[index].Source.Partition, unique[index].Source.Offset)) < 0)
            {
                unique[index] = trip;
            }
        }

        return unique;
    }

    // True when every partition of the batch has stored progress in the batch's log epoch that ends at or before the
    // batch's first message: then no message of the batch is stored yet. Locks those progress rows.
    private static async Task<bool> HoldsOnlyNewMessagesAsync(NpgsqlConnection connection, TripBatch batch, CancellationToken cancellationToken)
    {
        var firstOffsets = new Dictionary<(string Topic, int Partition), long>();
        foreach (var source in batch.Trips.Select(t => t.Source).Concat(batch.Rejects.Select(r => r.Source)))
        {
            var key = (source.Topic, source.Partition);
            if (!firstOffsets.TryGetValue(key, out var first) || source.Offset < first)
            {
                firstOffsets[key] = source.Offset;
            }
        }

        await using var command = new NpgsqlCommand(LockProgress, connection);
        command.Parameters.AddWithValue("group", batch.ConsumerGroup);
        command.Parameters.AddWithValue("topics", batch.Progress.Select(p => p.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", batch.Progress.Select(p => p.Partition).ToArray());
        var epochs = batch.Progress.ToDictionary(p => (p.Topic, p.Partition), p => p.LogEpoch);
        var fresh = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetInt32(1));
            var storedNext = reader.GetInt64(2);
            var storedEpoch = reader.GetInt32(3);
            if (storedEpoch == epochs[key] && (!firstOffsets.TryGetValue(key, out var first) || storedNext <= first))
            {
                fresh++;
            }
        }

        // A partition without a row (its first batch ever) is not proven fresh: two writers could both find none.
        return fresh == batch.Progress.Count;
    }

    // The fast path: straight into trips. Null when a trip id is already stored (sent twice); the savepoint undoes
    // the partial COPY and the caller takes the staging path.
    private async Task<int?> TryCopyIntoTripsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<StoredTrip> trips,
        SortedDictionary<(short VendorId, DateTimeOffset WindowStart), WindowContribution> contributions,
        CancellationToken cancellationToken)
    {
        await transaction.SaveAsync(FastPathSavepoint, cancellationToken);
        try
        {
            await CopyAsync(connection, CopyTrips, trips, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(FastPathSavepoint, cancellationToken);
            return null;
        }

        // Every row went in; the window sums use the values as the columns store them (cents, microseconds).
        foreach (var stored in trips)
        {
            var t = stored.Trip;
            AddToWindows(
                contributions,
                (short)t.VendorId,
                TruncateToMicroseconds(stored.PickupUtc),
                BinaryCopyRows.ToCents(t.FareAmount),
                BinaryCopyRows.ToCents(t.TipAmount),
                BinaryCopyRows.ToCents(stored.TotalAmount),
                t.TripDistance,
                stored.Score is { } score ? BinaryCopyRows.ToCents(score.Prediction) : null);
        }

        return trips.Count;
    }

    private async Task<int> InsertThroughStagingAsync(
        NpgsqlConnection connection,
        List<StoredTrip> trips,
        SortedDictionary<(short VendorId, DateTimeOffset WindowStart), WindowContribution> contributions,
        CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(CreateStaging, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, CopyStaging, trips, cancellationToken);
        await using var command = new NpgsqlCommand(InsertTrips, connection);

        // Window contributions of the inserted rows only, from the values as stored (the same rows a recomputation
        // from trips would sum).
        var inserted = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted++;
            AddToWindows(
                contributions,
                reader.GetInt16(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetDecimal(2),
                reader.GetDecimal(3),
                reader.GetDecimal(4),
                reader.GetDouble(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6));
        }

        return inserted;
    }

    private void AddToWindows(
        SortedDictionary<(short VendorId, DateTimeOffset WindowStart), WindowContribution> contributions,
        short vendor, DateTimeOffset pickup, decimal fare, decimal tip, decimal total, double distance, decimal? prediction)
    {
        foreach (var windowStart in windows.StartsContaining(pickup))
        {
            var key = (vendor, windowStart);
            contributions[key] = (contributions.TryGetValue(key, out var sum) ? sum : default).Add(fare, tip, total, distance, prediction);
        }
    }

    // timestamptz keeps microseconds. BinaryCopyRows (like Npgsql) truncates toward 2000-01-01, which is this same
    // truncation for every instant after it.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond));

    // The rows are encoded by BinaryCopyRows and sent in ~60 KiB writes. A failure part way leaves the transaction to
    // roll back, so a COPY cut short never commits.
    private static async Task CopyAsync(NpgsqlConnection connection, string copyCommand, List<StoredTrip> trips, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken);
        using var rows = new BinaryCopyRows();
        foreach (var stored in trips)
        {
            var t = stored.Trip;
            rows.StartRow(CopyFieldCount);
            rows.Write(stored.TripId);
            rows.Write((short)t.VendorId);
            rows.Write(stored.PickupUtc);
            rows.Write(stored.DropoffUtc);
            rows.Write((short)t.PassengerCount);
            rows.Write(t.TripDistance);
            rows.Write(t.PickupLongitude);
            rows.Write(t.PickupLatitude);
            rows.Write(t.DropoffLongitude);
            rows.Write(t.DropoffLatitude);
            rows.Write((short)t.PaymentType);
            rows.Write((short?)t.RateCodeId);
            rows.WriteCents(t.FareAmount);
            rows.WriteCents(t.TipAmount);
            rows.WriteCents(stored.TotalAmount);
            rows.Write(stored.Source.Topic);
            rows.Write(stored.Source.Partition);
            rows.Write(stored.Source.Offset);
            rows.Write(stored.Source.Timestamp);
            rows.WriteCents(stored.Score?.Prediction);
            rows.WriteTextOrNull(stored.Score?.ModelVersion);
            rows.Write(stored.Score?.IsFareAnomaly);
            await rows.FlushIfLargeAsync(copy, cancellationToken);
        }

        await rows.CompleteAsync(copy, cancellationToken);
    }

    private async Task UpsertWindowsAsync(
        NpgsqlConnection connection,
        SortedDictionary<(short VendorId, DateTimeOffset WindowStart), WindowContribution> contributions,
        CancellationToken cancellationToken)
    {
        var n = contributions.Count;
        var vendors = new short[n];
        var starts = new DateTime[n];
        var counts = new long[n];
        var fareSums = new decimal[n];
        var tipSums = new decimal[n];
        var totalSums = new decimal[n];
        var distanceSums = new double[n];
        var scoredCounts = new long[n];
        var absErrorSums = new decimal[n];
        var i = 0;
        foreach (var ((vendor, start), c) in contributions)
        {
            vendors[i] = vendor;
            starts[i] = start.UtcDateTime;
            counts[i] = c.TripCount;
            fareSums[i] = c.FareSum;
            tipSums[i] = c.TipSum;
            totalSums[i] = c.TotalSum;
            distanceSums[i] = c.DistanceSum;
            scoredCounts[i] = c.ScoredCount;
            absErrorSums[i] = c.AbsErrorSum;
            i++;
        }

        await using var command = new NpgsqlCommand(UpsertWindows, connection);
        var p = command.Parameters;
        p.AddWithValue("window_size", windows.Size);
        p.Add(ArrayParameter("vendor_ids", NpgsqlDbType.Smallint, vendors));
        p.Add(ArrayParameter("window_starts", NpgsqlDbType.TimestampTz, starts));
        p.Add(ArrayParameter("trip_counts", NpgsqlDbType.Bigint, counts));
        p.Add(ArrayParameter("fare_sums", NpgsqlDbType.Numeric, fareSums));
        p.Add(ArrayParameter("tip_sums", NpgsqlDbType.Numeric, tipSums));
        p.Add(ArrayParameter("total_sums", NpgsqlDbType.Numeric, totalSums));
        p.Add(ArrayParameter("distance_sums", NpgsqlDbType.Double, distanceSums));
        p.Add(ArrayParameter("scored_counts", NpgsqlDbType.Bigint, scoredCounts));
        p.Add(ArrayParameter("abs_error_sums", NpgsqlDbType.Numeric, absErrorSums));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<T[]> ArrayParameter<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    /// <summary>One batch's additive contribution to one window, summed from the inserted rows.</summary>
    private readonly record struct WindowContribution(
        long TripCount, decimal FareSum, decimal TipSum, decimal TotalSum, double DistanceSum, long ScoredCount, decimal AbsErrorSum)
    {
        public WindowContribution Add(decimal fare, decimal tip, decimal total, double distance, decimal? prediction) => new(
            TripCount + 1,
            FareSum + fare,
            TipSum + tip,
            TotalSum + total,
            DistanceSum + distance,
            ScoredCount + (prediction is null ? 0 : 1),
            AbsErrorSum + (prediction is { } predicted ? Math.Abs(fare - predicted) : 0));
    }

    private static async Task<int> InsertRejectsAsync(NpgsqlConnection connection, IReadOnlyList<RejectedMessage> rejects, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertRejects, connection);
        command.Parameters.AddWithValue("topics", rejects.Select(r => r.Source.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", rejects.Select(r => r.Source.Partition).ToArray());
        command.Parameters.AddWithValue("epochs", rejects.Select(r => r.Source.LogEpoch).ToArray());
        command.Parameters.AddWithValue("offsets", rejects.Select(r => r.Source.Offset).ToArray());
        command.Parameters.AddWithValue("reasons", rejects.Select(r => r.ReasonCode).ToArray());
        command.Parameters.AddWithValue("details", rejects.Select(r => r.Detail).ToArray());
        command.Parameters.AddWithValue("payloads", rejects.Select(r => r.Payload.ToArray()).ToArray());
        command.Parameters.Add(new NpgsqlParameter("timestamps", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = rejects.Select(r => r.Source.Timestamp is { } ts ? (DateTime?)ts.UtcDateTime : null).ToArray(),
        });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpsertProgressAsync(NpgsqlConnection connection, string group, IReadOnlyList<PartitionProgress> progress, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(UpsertProgress, connection);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("topics", progress.Select(p => p.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", progress.Select(p => p.Partition).ToArray());
        command.Parameters.AddWithValue("offsets", progress.Select(p => p.NextOffset).ToArray());
        command.Parameters.AddWithValue("epochs", progress.Select(p => p.LogEpoch).ToArray());
        command.Parameters.Add(new NpgsqlParameter("max_event_times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = progress.Select(p => p.MaxEventTime is { } t ? (DateTime?)t.UtcDateTime : null).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("fingerprints", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        {
            Value = progress.Select(p => p.LastMessageFingerprint).ToArray(),
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> CloseWindowsAsync(NpgsqlConnection connection, TripBatch batch, TimeSpan lateness, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CloseWindows, connection);
        command.Parameters.AddWithValue("lateness", lateness);
        command.Parameters.AddWithValue("group", batch.ConsumerGroup);
        command.Parameters.AddWithValue("topics", batch.Progress.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToArray());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
