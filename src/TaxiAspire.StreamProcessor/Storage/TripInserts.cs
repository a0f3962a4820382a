using Npgsql;
using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>What <see cref="TripInserts.InsertAsync"/> stored: how many trips, and whether by the fast path.</summary>
internal readonly record struct TripInsertResult(int Inserted, bool CopiedIntoTrips);

/// <summary>
/// Stores a batch's trips once each, adding each inserted trip (and only those) to the window contributions.
/// </summary>
/// <remarks>
/// Two ways in. The fast path binary-COPYs straight into <c>trips</c>: it is taken when the batch's partitions' stored
/// offsets, locked first, show that none of its messages was stored before, so the only possible duplicate is a trip
/// sent twice under one id, which the primary key refuses (the COPY then rolls back to a savepoint). The safe path
/// COPYs into a staging table and inserts what is not stored yet: a partition's first batch, a batch overlapping stored
/// offsets (a zombie, a replay) and a repeated trip id take it.
/// </remarks>
internal static class TripInserts
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

    private const string FastPathSavepoint = "copy_into_trips";

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

    // onlyNewMessages: the batch's stored offsets prove none of its messages stored yet, so the fast path may be tried.
    public static async Task<TripInsertResult> InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<StoredTrip> batchTrips,
        bool onlyNewMessages,
        WindowContributions contributions,
        CancellationToken cancellationToken)
    {
        var trips = Deduplicate(batchTrips);
        if (onlyNewMessages && await TryCopyIntoTripsAsync(connection, transaction, trips, contributions, cancellationToken))
        {
            return new TripInsertResult(trips.Count, CopiedIntoTrips: true);
        }

        return new TripInsertResult(await InsertThroughStagingAsync(connection, trips, contributions, cancellationToken), CopiedIntoTrips: false);
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

    // The fast path: straight into trips. False when a trip id is already stored (sent twice); the savepoint undoes
    // the partial COPY and the caller takes the staging path.
    private static async Task<bool> TryCopyIntoTripsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        List<StoredTrip> trips,
        WindowContributions contributions,
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
            return false;
        }

        // Every row went in; the window sums use the values as the columns store them (cents, microseconds).
        foreach (var stored in trips)
        {
            var t = stored.Trip;
            contributions.Add(
                (short)t.VendorId,
                TruncateToMicroseconds(stored.PickupUtc),
                BinaryCopyRows.ToCents(t.FareAmount),
                BinaryCopyRows.ToCents(t.TipAmount),
                BinaryCopyRows.ToCents(stored.TotalAmount),
                t.TripDistance,
                stored.Score is { } score ? BinaryCopyRows.ToCents(score.Prediction) : null);
        }

        return true;
    }

    private static async Task<int> InsertThroughStagingAsync(
        NpgsqlConnection connection,
        List<StoredTrip> trips,
        WindowContributions contributions,
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
            contributions.Add(
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
}
