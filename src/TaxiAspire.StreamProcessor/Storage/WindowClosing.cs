using Npgsql;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// Closes the windows a watermark has passed (end at or before it), in the batch transaction: each window at most once
/// (closed_at IS NULL re-checked under the row lock), its snapshot recorded in <c>window_publications</c>, the outbox
/// the window publisher drains. The watermark itself is <see cref="ConsumerProgressStore.WatermarkAsync"/>.
/// </summary>
internal static class WindowClosing
{
    private const string CloseWindows = """
        WITH closed AS (
            UPDATE trip_windows tw SET closed_at = now()
            WHERE tw.closed_at IS NULL AND tw.window_end <= @watermark
            RETURNING tw.vendor_id, tw.window_start, tw.window_end, tw.trip_count, tw.fare_sum, tw.tip_sum, tw.total_sum,
                      tw.distance_sum, @watermark AS watermark
        ),
        published AS (
            INSERT INTO window_publications (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum, watermark)
            SELECT * FROM closed ORDER BY vendor_id, window_start
            ON CONFLICT (vendor_id, window_start) DO NOTHING
            RETURNING 1
        )
        SELECT count(*)::int FROM published
        """;

    /// <summary>Closes every open window ending at or before <paramref name="watermark"/>; returns how many.</summary>
    public static async Task<int> CloseUpToAsync(NpgsqlConnection connection, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CloseWindows, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("watermark", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = watermark });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
