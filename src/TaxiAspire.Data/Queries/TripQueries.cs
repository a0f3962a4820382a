using Npgsql;

namespace TaxiAspire.Data.Queries;

/// <summary>The read side of taxidb used by the API. Parameters only; never concatenated SQL.</summary>
public sealed class TripQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<TripView>> LatestTripsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT trip_id, vendor_id, pickup_at, dropoff_at, passenger_count, trip_distance, payment_type,
                   fare_amount, tip_amount, total_amount, stored_at
            FROM trips ORDER BY ingest_seq DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var trips = new List<TripView>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            trips.Add(new TripView(
                reader.GetString(0),
                reader.GetInt16(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt16(4),
                reader.GetDouble(5),
                reader.GetInt16(6),
                reader.GetDecimal(7),
                reader.GetDecimal(8),
                reader.GetDecimal(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return trips;
    }

    public async Task<PipelineStats> StatsAsync(CancellationToken cancellationToken)
    {
        // Aggregates over the window table would be cheaper at scale, but each trip sits in several windows;
        // the trips table with its indexes answers exactly.
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM trips),
                   (SELECT count(*) FROM rejected_messages),
                   (SELECT coalesce(sum(fare_amount), 0) FROM trips),
                   (SELECT coalesce(sum(tip_amount), 0) FROM trips),
                   (SELECT max(pickup_at) FROM trips),
                   (SELECT stored_at FROM trips ORDER BY ingest_seq DESC LIMIT 1)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new PipelineStats(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetDecimal(2),
            reader.GetDecimal(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }
}
