using Npgsql;

namespace TaxiAspire.Api.Windows;

/// <summary>One hopping window of one vendor, with its averages computed on read from the additive sums.</summary>
public sealed record WindowView(
    int VendorId,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    long TripCount,
    decimal AvgFare,
    decimal AvgTip,
    decimal AvgTotal,
    double AvgDistance,
    long ScoredCount,
    decimal? ModelMae);

/// <summary>The read side of <c>trip_windows</c>.</summary>
public sealed class WindowQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Windows starting in <c>[from, to)</c>, newest first, optionally of one vendor. The primary key
    /// (vendor_id, window_start) and the window_start index serve both forms.
    /// </summary>
    public async Task<IReadOnlyList<WindowView>> WindowsAsync(
        int? vendorId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(vendorId is null
            ? Select + " WHERE window_start >= @from AND window_start < @to ORDER BY window_start DESC, vendor_id LIMIT @limit"
            : Select + " WHERE vendor_id = @vendor AND window_start >= @from AND window_start < @to ORDER BY window_start DESC LIMIT @limit");
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        if (vendorId is { } vendor)
        {
            command.Parameters.AddWithValue("vendor", (short)vendor);
        }

        var windows = new List<WindowView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            windows.Add(new WindowView(
                reader.GetInt16(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt64(3),
                reader.GetDecimal(4),
                reader.GetDecimal(5),
                reader.GetDecimal(6),
                reader.GetDouble(7),
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetDecimal(9)));
        }

        return windows;
    }

    // A window row exists only once a trip was added to it, so trip_count is never zero.
    private const string Select = """
        SELECT vendor_id, window_start, window_end, trip_count,
               round(fare_sum / trip_count, 2), round(tip_sum / trip_count, 2), round(total_sum / trip_count, 2),
               distance_sum / trip_count, scored_count,
               CASE WHEN scored_count > 0 THEN round(abs_error_sum / scored_count, 4) END
        FROM trip_windows
        """;
}
