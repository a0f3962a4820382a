using System.Text;
using Npgsql;

namespace TaxiAspire.Api.Trips;

/// <summary>The read side of <c>trips</c> used by the API. Parameters only; never concatenated input.</summary>
public sealed class TripQueries(NpgsqlDataSource dataSource)
{
    /// <summary>How far back (in stored trips) the "recent scored trips" look, so the query stays cheap when nothing is scored.</summary>
    public const int RecentScoredScan = 5_000;

    private const string Columns = """
        t.trip_id, t.vendor_id, t.pickup_at, t.dropoff_at, t.passenger_count, t.trip_distance, t.payment_type,
        t.fare_amount, t.tip_amount, t.total_amount, t.stored_at, t.prediction::double precision, t.model_version, t.is_fare_anomaly
        """;

    public async Task<IReadOnlyList<TripView>> LatestTripsAsync(int limit, CancellationToken cancellationToken) =>
        (await SearchAsync(new TripSearch(limit), cancellationToken)).Trips;

    /// <summary>
    /// Trips matching <paramref name="search"/>, newest stored first, paged by keyset on <c>ingest_seq</c> so a page
    /// costs the same however deep it is and trips stored meanwhile never shift the pages.
    /// </summary>
    public async Task<TripPage> SearchAsync(TripSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var sql = new StringBuilder("SELECT t.ingest_seq, " + Columns + " FROM trips t WHERE true");
        await using var command = dataSource.CreateCommand();
        if (search.VendorId is { } vendor)
        {
            sql.Append(" AND t.vendor_id = @vendor");
            command.Parameters.AddWithValue("vendor", (short)vendor);
        }

        if (search.From is { } from)
        {
            sql.Append(" AND t.pickup_at >= @from");
            command.Parameters.AddWithValue("from", from.ToUniversalTime());
        }

        if (search.To is { } to)
        {
            sql.Append(" AND t.pickup_at < @to");
            command.Parameters.AddWithValue("to", to.ToUniversalTime());
        }

        if (search.Anomaly is { } anomaly)
        {
            // Unscored trips (NULL) are not anomalies.
            sql.Append(anomaly ? " AND t.is_fare_anomaly" : " AND NOT coalesce(t.is_fare_anomaly, false)");
        }

        if (search.Before is { } before)
        {
            sql.Append(" AND t.ingest_seq < @before");
            command.Parameters.AddWithValue("before", before);
        }

        // One row more than asked tells whether an older page exists.
        sql.Append(" ORDER BY t.ingest_seq DESC LIMIT @take");
        command.Parameters.AddWithValue("take", search.Limit + 1);
        command.CommandText = sql.ToString();

        var trips = new List<TripView>(Math.Min(search.Limit + 1, 1_024));
        var sequences = new List<long>(trips.Capacity);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sequences.Add(reader.GetInt64(0));
            trips.Add(ReadTrip(reader, 1));
        }

        if (trips.Count <= search.Limit)
        {
            return new TripPage(trips, null);
        }

        trips.RemoveAt(trips.Count - 1);
        return new TripPage(trips, sequences[search.Limit - 1]);
    }

    /// <summary>The latest flagged trips by pickup time, read through the partial index on flagged trips.</summary>
    public Task<IReadOnlyList<TripView>> RecentAnomaliesAsync(int limit, CancellationToken cancellationToken) => ListAsync(
        "SELECT " + Columns + " FROM trips t WHERE t.is_fare_anomaly ORDER BY t.pickup_at DESC LIMIT @limit", limit, cancellationToken);

    /// <summary>
    /// The latest scored trips, oldest first, among the last <see cref="RecentScoredScan"/> stored: bounded, so it
    /// stays cheap when no model scores (every prediction NULL) however many trips are stored.
    /// </summary>
    public async Task<IReadOnlyList<TripView>> RecentScoredAsync(int limit, CancellationToken cancellationToken)
    {
        var newestFirst = await ListAsync(
            "SELECT " + Columns + """
             FROM trips t
            WHERE t.ingest_seq > (SELECT coalesce(max(ingest_seq), 0) FROM trips) - 
            """ + RecentScoredScan + """
              AND t.prediction IS NOT NULL
            ORDER BY t.ingest_seq DESC LIMIT @limit
            """,
            limit,
            cancellationToken);
        return [.. newestFirst.Reverse()];
    }

    private async Task<IReadOnlyList<TripView>> ListAsync(string sql, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("limit", limit);
        var trips = new List<TripView>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            trips.Add(ReadTrip(reader, 0));
        }

        return trips;
    }

    /// <summary>Reads the <see cref="Columns"/>, starting at <paramref name="first"/>.</summary>
    private static TripView ReadTrip(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetInt16(first + 1),
        reader.GetFieldValue<DateTimeOffset>(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<DateTimeOffset>(first + 3),
        reader.GetInt16(first + 4),
        reader.GetDouble(first + 5),
        reader.GetInt16(first + 6),
        reader.GetDecimal(first + 7),
        reader.GetDecimal(first + 8),
        reader.GetDecimal(first + 9),
        reader.GetFieldValue<DateTimeOffset>(first + 10),
        reader.IsDBNull(first + 11) ? null : reader.GetDouble(first + 11),
        reader.IsDBNull(first + 12) ? null : reader.GetString(first + 12),
        reader.IsDBNull(first + 13) ? null : reader.GetBoolean(first + 13));
}
