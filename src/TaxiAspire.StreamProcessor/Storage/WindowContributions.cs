using Npgsql;
using NpgsqlTypes;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// One batch's additive contribution to the hopping-window aggregates, summed in C# from the trips the batch actually
/// inserted (values as stored: cents, microseconds), then added to <c>trip_windows</c> in one statement.
/// </summary>
internal sealed class WindowContributions(HoppingWindows windows)
{
    // The contributions go in sorted by (vendor, window start): one lock order for every writer, so replicas updating
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

    private readonly SortedDictionary<(short VendorId, DateTimeOffset WindowStart), Sums> _sums = [];

    /// <summary>Adds one inserted trip to each window containing its pickup.</summary>
    public void Add(short vendor, DateTimeOffset pickup, decimal fare, decimal tip, decimal total, double distance, decimal? prediction)
    {
        foreach (var windowStart in windows.StartsContaining(pickup))
        {
            var key = (vendor, windowStart);
            _sums[key] = (_sums.TryGetValue(key, out var sum) ? sum : default).Add(fare, tip, total, distance, prediction);
        }
    }

    public async Task UpsertAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var n = _sums.Count;
        if (n == 0) return;
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
        foreach (var ((vendor, start), c) in _sums)
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
        new(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    /// <summary>One window's sums from this batch.</summary>
    private readonly record struct Sums(
        long TripCount, decimal FareSum, decimal TipSum, decimal TotalSum, double DistanceSum, long ScoredCount, decimal AbsErrorSum)
    {
        public Sums Add(decimal fare, decimal tip, decimal total, double distance, decimal? prediction) => new(
            TripCount + 1,
            FareSum + fare,
            TipSum + tip,
            TotalSum + total,
            DistanceSum + distance,
            ScoredCount + (prediction is null ? 0 : 1),
            AbsErrorSum + (prediction is { } predicted ? Math.Abs(fare - predicted) : 0));
    }
}
