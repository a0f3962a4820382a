using Npgsql;
using NpgsqlTypes;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Data.Ingestion;

/// <summary>
/// Writes a micro-batch exactly once: trips (binary COPY into a staging table, then inserted unless already stored),
/// the window contributions of the trips actually inserted, the rejects and the partitions' next offsets, all in one
/// transaction. Replaying a batch, or a zombie consumer writing one, therefore changes nothing. With a
/// <see cref="WindowWatermark"/> the same transaction also closes the windows the watermark has passed and records
/// each once in <c>window_publications</c>, the outbox the window publisher drains.
/// </summary>
public sealed class TripBatchWriter(NpgsqlDataSource dataSource, HoppingWindows windows, WindowWatermark? watermark = null)
{
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS trip_staging (
            trip_id text, vendor_id smallint, pickup_at timestamptz, dropoff_at timestamptz, passenger_count smallint,
            trip_distance double precision, pickup_longitude double precision, pickup_latitude double precision,
            dropoff_longitude double precision, dropoff_latitude double precision, payment_type smallint,
            rate_code_id smallint, fare_amount numeric(12,2), tip_amount numeric(12,2), total_amount numeric(12,2),
            source_topic text, source_partition integer, source_offset bigint, kafka_timestamp timestamptz,
            window_starts timestamptz[], prediction numeric(12,2), model_version text, is_fare_anomaly boolean
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopyStaging = """
        COPY trip_staging (trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
            pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
            total_amount, source_topic, source_partition, source_offset, kafka_timestamp, window_starts, prediction, model_version, is_fare_anomaly) FROM STDIN (FORMAT BINARY)
        """;

    // DISTINCT ON: a batch may carry the same trip twice (a producer retry); the first copy wins.
    private const string InsertTripsAndWindows = """
        WITH inserted AS (
            INSERT INTO trips (trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
                pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
                total_amount, source_topic, source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly)
            SELECT DISTINCT ON (trip_id) trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, pickup_longitude,
                pickup_latitude, dropoff_longitude, dropoff_latitude, payment_type, rate_code_id, fare_amount, tip_amount,
                total_amount, source_topic, source_partition, source_offset, kafka_timestamp, prediction, model_version, is_fare_anomaly
            FROM trip_staging
            ORDER BY trip_id, source_partition, source_offset
            ON CONFLICT (trip_id) DO NOTHING
            RETURNING trip_id, vendor_id, fare_amount, tip_amount, total_amount, trip_distance, prediction
        ),
        contributions AS (
            SELECT i.vendor_id, w.window_start, count(*) AS trip_count, sum(i.fare_amount) AS fare_sum,
                   sum(i.tip_amount) AS tip_sum, sum(i.total_amount) AS total_sum, sum(i.trip_distance) AS distance_sum,
                   count(i.prediction) AS scored_count, COALESCE(sum(abs(i.fare_amount - i.prediction)), 0) AS abs_error_sum
            FROM inserted i
            JOIN (SELECT DISTINCT ON (trip_id) trip_id, window_starts FROM trip_staging ORDER BY trip_id, source_partition, source_offset) s
              ON s.trip_id = i.trip_id
            CROSS JOIN LATERAL unnest(s.window_starts) AS w(window_start)
            GROUP BY i.vendor_id, w.window_start
        ),
        upserted AS (
            INSERT INTO trip_windows AS tw (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum,
                scored_count, abs_error_sum)
            SELECT vendor_id, window_start, window_start + @window_size, trip_count, fare_sum, tip_sum, total_sum, distance_sum,
                scored_count, abs_error_sum
            FROM contributions
            -- One lock order for every writer: replicas updating the same windows then wait instead of deadlocking.
            ORDER BY vendor_id, window_start
            ON CONFLICT (vendor_id, window_start) DO UPDATE SET
                trip_count = tw.trip_count + excluded.trip_count,
                fare_sum = tw.fare_sum + excluded.fare_sum,
                tip_sum = tw.tip_sum + excluded.tip_sum,
                total_sum = tw.total_sum + excluded.total_sum,
                distance_sum = tw.distance_sum + excluded.distance_sum,
                scored_count = tw.scored_count + excluded.scored_count,
                abs_error_sum = tw.abs_error_sum + excluded.abs_error_sum,
                updated_at = now()
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM inserted)::int
        """;

    private const string InsertRejects = """
        INSERT INTO rejected_messages (topic, partition, log_epoch, "offset", reason, detail, payload, kafka_timestamp)
        SELECT * FROM unnest(@topics, @partitions, @epochs, @offsets, @reasons, @details, @payloads, @timestamps)
        ON CONFLICT DO NOTHING
        """;

    // A stored offset never moves backwards within a log epoch; a stale epoch (a zombie) never overwrites a newer one.
    private const string UpsertProgress = """
        INSERT INTO consumer_offsets AS co (consumer_group, topic, partition, next_offset, log_epoch, max_event_time)
        SELECT @group, * FROM unnest(@topics, @partitions, @offsets, @epochs, @max_event_times)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
            next_offset = GREATEST(co.next_offset, excluded.next_offset),
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

    public async Task<BatchWriteResult> WriteAsync(TripBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var inserted = 0;
        if (batch.Trips.Count > 0)
        {
            await ExecuteAsync(connection, CreateStaging, cancellationToken);
            await CopyTripsAsync(connection, batch.Trips, cancellationToken);
            await using var insert = new NpgsqlCommand(InsertTripsAndWindows, connection);
            insert.Parameters.AddWithValue("window_size", windows.Size);
            inserted = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
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

        await transaction.CommitAsync(cancellationToken);
        return new BatchWriteResult(inserted, batch.Trips.Count - inserted, rejects, closed);
    }

    private static async Task CopyTripsAsync(NpgsqlConnection connection, IReadOnlyList<StoredTrip> trips, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyStaging, cancellationToken);
        foreach (var stored in trips)
        {
            var t = stored.Trip;
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(stored.TripId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync((short)t.VendorId, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(stored.PickupUtc, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, stored.DropoffUtc, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync((short)t.PassengerCount, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(t.TripDistance, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(importer, t.PickupLongitude, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(importer, t.PickupLatitude, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(importer, t.DropoffLongitude, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(importer, t.DropoffLatitude, NpgsqlDbType.Double, cancellationToken);
            await importer.WriteAsync((short)t.PaymentType, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(importer, t.RateCodeId is { } rate ? (short?)rate : null, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(t.FareAmount, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(t.TipAmount, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(stored.TotalAmount, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(stored.Source.Topic, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(stored.Source.Partition, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(stored.Source.Offset, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(importer, stored.Source.Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(stored.WindowStarts.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, stored.Score?.Prediction, NpgsqlDbType.Numeric, cancellationToken);
            await WriteNullableTextAsync(importer, stored.Score?.ModelVersion, cancellationToken);
            await WriteNullableAsync(importer, stored.Score?.IsFareAnomaly, NpgsqlDbType.Boolean, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } v)
        {
            await importer.WriteAsync(v, type, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
