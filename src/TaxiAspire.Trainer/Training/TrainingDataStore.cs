using Npgsql;
using TaxiAspire.Trips.Features;

namespace TaxiAspire.Trainer.Training;

/// <summary>Reads training rows from taxidb's trips, oldest pickup first (so the holdout is the newest trips).</summary>
public sealed class TrainingDataStore(NpgsqlDataSource dataSource)
{
    // The newest @max trips, then put back in time order. Trip time comes from the stored instants.
    private const string NewestTrips = """
        SELECT vendor_id, rate_code_id, passenger_count, payment_type, trip_distance,
               EXTRACT(EPOCH FROM (dropoff_at - pickup_at))::float8, fare_amount::float8
        FROM (SELECT * FROM trips ORDER BY pickup_at DESC, ingest_seq DESC LIMIT @max) newest
        ORDER BY pickup_at, ingest_seq
        """;

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM trips");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<List<FareModelInput>> LoadAsync(int maxRows, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(NewestTrips);
        command.Parameters.AddWithValue("max", maxRows);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<FareModelInput>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(FareModelInput.Create(
                vendorId: reader.GetInt16(0),
                rateCode: reader.IsDBNull(1) ? null : reader.GetInt16(1),
                passengerCount: reader.GetInt16(2),
                paymentType: reader.GetInt16(3),
                tripDistance: reader.GetDouble(4),
                tripSeconds: reader.IsDBNull(5) ? double.NaN : reader.GetDouble(5),
                fareAmount: reader.GetDouble(6)));
        }

        return rows;
    }

    /// <summary>
    /// The live mean absolute error over the windows that start within <paramref name="lookback"/> of the newest one,
    /// with the number of scored trips behind it (windows overlap, so each trip counts twice in both sums alike).
    /// </summary>
    public async Task<(double? Mae, long Scored)> LiveErrorAsync(TimeSpan lookback, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT COALESCE(sum(abs_error_sum), 0)::float8, COALESCE(sum(scored_count), 0)::bigint FROM trip_windows
            WHERE window_start >= (SELECT max(window_start) FROM trip_windows) - @lookback
            """);
        command.Parameters.AddWithValue("lookback", lookback);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var scored = reader.GetInt64(1);
        return (scored > 0 ? reader.GetDouble(0) / scored : null, scored / 2);
    }
}
