using System.Text;
using Npgsql;

namespace TaxiAspire.Data.Queries;

/// <summary>The read side of <c>trips</c> used by the API. Parameters only; never concatenated input.</summary>
public sealed class TripQueries(NpgsqlDataSource dataSource, ScoringColumnsProbe scoringColumns)
{
    public async Task<IReadOnlyList<TripView>> LatestTripsAsync(int limit, CancellationToken cancellationToken) =>
        (await SearchAsync(new TripSearch(limit), cancellationToken)).Trips;

    /// <summary>
    /// Trips matching <paramref name="search"/>, newest stored first, paged by keyset on <c>ingest_seq</c> so a page
    /// costs the same however deep it is and trips stored meanwhile never shift the pages.
    /// </summary>
    public async Task<TripPage> SearchAsync(TripSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var columns = await scoringColumns.GetAsync(cancellationToken);
        if (search.Anomaly is not null && columns.Anomaly is null)
        {
            // Nothing is flagged before the model lifecycle adds the column: only "not an anomaly" can match.
            return search.Anomaly.Value ? new TripPage([], null) : await SearchAsync(search with { Anomaly = null }, cancellationToken);
        }

        var sql = new StringBuilder($"""
            SELECT t.ingest_seq, t.trip_id, t.vendor_id, t.pickup_at, t.dropoff_at, t.passenger_count, t.trip_distance,
                   t.payment_type, t.fare_amount, t.tip_amount, t.total_amount, t.stored_at,
                   {columns.PredictionSql("t")}, {columns.ModelVersionSql("t")}, {columns.AnomalySql("t")}
            FROM trips t WHERE true
            """);
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
            sql.Append(anomaly ? " AND " + columns.AnomalySql("t") : " AND NOT coalesce(" + columns.AnomalySql("t") + ", false)");
        }

        if (search.ScoredOnly)
        {
            if (columns.Prediction is null)
            {
                return new TripPage([], null);
            }

            sql.Append(" AND " + columns.PredictionSql("t") + " IS NOT NULL");
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

    /// <summary>Reads the columns selected as in <see cref="SearchAsync"/>, starting at <paramref name="first"/>.</summary>
    internal static TripView ReadTrip(NpgsqlDataReader reader, int first) => new(
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
