using Npgsql;
using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// Closes the windows the watermark has passed (end at or before it), in the batch transaction, after the batch's
/// offsets and event times are stored: each window at most once (closed_at IS NULL re-checked under the row lock), its
/// snapshot recorded in <c>window_publications</c>, the outbox the window publisher drains. The watermark is
/// <see cref="ConsumerProgressStore.Watermark"/>, computed by the same statement.
/// </summary>
internal static class WindowClosing
{
    private const string CloseWindows = $"""
        WITH watermark AS ({ConsumerProgressStore.Watermark}),
        closed AS (
            UPDATE trip_windows tw SET closed_at = now()
            FROM watermark w(at)
            WHERE tw.closed_at IS NULL AND tw.window_end <= w.at
            RETURNING tw.vendor_id, tw.window_start, tw.window_end, tw.trip_count, tw.fare_sum, tw.tip_sum, tw.total_sum,
                      tw.distance_sum, w.at AS watermark
        ),
        published AS (
            INSERT INTO window_publications (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum, watermark)
            SELECT * FROM closed ORDER BY vendor_id, window_start
            ON CONFLICT (vendor_id, window_start) DO NOTHING
            RETURNING 1
        )
        SELECT count(*)::int FROM published
        """;

    /// <summary>The statement closing every open window the batch's watermark has passed; it returns how many.</summary>
    public static NpgsqlBatchCommand CloseUpToWatermark(TripBatch batch, TimeSpan allowedLateness)
    {
        var command = new NpgsqlBatchCommand(CloseWindows);
        ConsumerProgressStore.AddWatermarkParameters(command.Parameters, batch, allowedLateness);
        return command;
    }
}
