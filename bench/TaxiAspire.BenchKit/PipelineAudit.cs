using Npgsql;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.BenchKit;

/// <summary>
/// What the crash tests and the chaos runner check after the fact: how many messages the stored offsets cover,
/// duplicates, and whether every window aggregate equals a recomputation from the stored trips.
/// </summary>
public sealed class PipelineAudit(NpgsqlDataSource dataSource, HoppingWindows windows)
{
    public Task<long> TripCountAsync(CancellationToken cancellationToken) => ScalarAsync("SELECT count(*) FROM trips", cancellationToken);

    public Task<long> RejectCountAsync(CancellationToken cancellationToken) => ScalarAsync("SELECT count(*) FROM rejected_messages", cancellationToken);

    /// <summary>Messages behind the stored offsets of a group on a topic (all partitions, log epoch 0 onwards).</summary>
    public async Task<long> StoredOffsetTotalAsync(string consumerGroup, string topic, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(next_offset), 0)::bigint FROM consumer_offsets WHERE consumer_group = @group AND topic = @topic");
        command.Parameters.AddWithValue("group", consumerGroup);
        command.Parameters.AddWithValue("topic", topic);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// For each partition with stored progress: its stored next offset, and how many of the offsets below it are stored
    /// as a trip or a reject, in all and distinct. Exactly once within one log means both equal the next offset.
    /// </summary>
    public async Task<IReadOnlyList<PartitionCoverage>> OffsetCoverageAsync(string consumerGroup, string topic, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH stored AS (
                SELECT source_partition AS partition, source_offset AS "offset" FROM trips WHERE source_topic = @topic
                UNION ALL
                SELECT partition, "offset" FROM rejected_messages WHERE topic = @topic
            )
            SELECT co.partition, co.next_offset, count(s."offset"), count(DISTINCT s."offset")
            FROM consumer_offsets co LEFT JOIN stored s ON s.partition = co.partition AND s."offset" < co.next_offset
            WHERE co.consumer_group = @group AND co.topic = @topic
            GROUP BY co.partition, co.next_offset
            ORDER BY co.partition
            """);
        command.Parameters.AddWithValue("group", consumerGroup);
        command.Parameters.AddWithValue("topic", topic);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<PartitionCoverage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            partitions.Add(new PartitionCoverage(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return partitions;
    }

    /// <summary>
    /// Windows whose stored aggregate differs from the one recomputed from the stored trips with the same window rule
    /// (missing or extra windows count too).
    /// </summary>
    public async Task<long> WindowMismatchesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH expected AS (
                SELECT t.vendor_id, w.start AS window_start, count(*) AS trip_count, sum(t.fare_amount) AS fare_sum,
                       sum(t.tip_amount) AS tip_sum, sum(t.total_amount) AS total_sum, sum(t.trip_distance) AS distance_sum
                FROM trips t
                CROSS JOIN LATERAL (
                    SELECT to_timestamp(floor(extract(epoch FROM t.pickup_at) / @slide) * @slide - k * @slide) AS start
                    FROM generate_series(0, @per_event - 1) AS k
                ) w
                GROUP BY 1, 2
            )
            SELECT count(*) FROM expected e FULL JOIN trip_windows w USING (vendor_id, window_start)
            WHERE e.trip_count IS DISTINCT FROM w.trip_count OR e.fare_sum IS DISTINCT FROM w.fare_sum
               OR e.tip_sum IS DISTINCT FROM w.tip_sum OR e.total_sum IS DISTINCT FROM w.total_sum
               OR abs(e.distance_sum - w.distance_sum) > 1e-6 * greatest(1, abs(e.distance_sum))
            """);
        command.Parameters.AddWithValue("slide", windows.Slide.TotalSeconds);
        command.Parameters.AddWithValue("per_event", windows.WindowsPerEvent);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Closed windows recorded for publication, and how many the publisher has confirmed.</summary>
    public async Task<(long Closed, long Published)> WindowPublicationsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), count(published_at) FROM window_publications");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The trip ids stored, for a set comparison against what was sent.</summary>
    public async Task<HashSet<string>> TripIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT trip_id FROM trips");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
