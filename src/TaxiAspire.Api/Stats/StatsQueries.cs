using Npgsql;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Api.Stats;

/// <summary>Pipeline totals, throughput, rejects by reason and stored consumer progress.</summary>
public sealed class StatsQueries(NpgsqlDataSource dataSource, HoppingWindows windows, TimeProvider timeProvider)
{
    public static readonly TimeSpan ThroughputSpan = TimeSpan.FromMinutes(1);

    // The newest pickup is looked for among the trips stored last: a stream stores trips about in pickup order, and
    // trips keeps no B-tree on pickup_at (its upkeep slowed every insert; see migration 0030).
    private const long RecentForNewestPickup = 10_000;

    /// <summary>
    /// Everything but broker lag, in one round trip. Totals come from the window table rather than count(*) over
    /// trips (which reads every row: seconds at millions of trips): the windows that start on a multiple of their own
    /// size tile the time line, so each stored trip sits in exactly one of them, and their sums are exact because
    /// the processor adds a trip to its windows in the transaction that stores it.
    /// </summary>
    public async Task<(PipelineStats Stats, IReadOnlyList<ThroughputPoint> Throughput)> StatsAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var since = now - ThroughputSpan;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("""
            SELECT coalesce(sum(trip_count), 0)::bigint, coalesce(sum(fare_sum), 0), coalesce(sum(tip_sum), 0)
            FROM trip_windows
            WHERE (extract(epoch FROM window_start)::bigint % @size_seconds) = 0
            """, new NpgsqlParameter("size_seconds", (long)windows.Size.TotalSeconds)));
        batch.BatchCommands.Add(Command("""
            SELECT (SELECT max(pickup_at) FROM trips WHERE ingest_seq > (SELECT max(ingest_seq) FROM trips) - @recent),
                   (SELECT stored_at FROM trips ORDER BY ingest_seq DESC LIMIT 1)
            """, new NpgsqlParameter("recent", RecentForNewestPickup)));
        batch.BatchCommands.Add(Command("""
            SELECT date_trunc('second', stored_at), count(*) FROM trips
            WHERE stored_at >= @since GROUP BY 1 ORDER BY 1
            """, new NpgsqlParameter("since", since)));
        batch.BatchCommands.Add(Command("SELECT reason, count(*) FROM rejected_messages GROUP BY reason ORDER BY count(*) DESC, reason"));
        batch.BatchCommands.Add(Command("""
            SELECT consumer_group, topic, partition, next_offset, log_epoch, updated_at
            FROM consumer_offsets ORDER BY consumer_group, topic, partition
            """));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (trips, fares, tips) = (reader.GetInt64(0), reader.GetDecimal(1), reader.GetDecimal(2));

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        DateTimeOffset? lastPickup = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        DateTimeOffset? lastStored = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);

        await reader.NextResultAsync(cancellationToken);
        var throughput = new List<ThroughputPoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            throughput.Add(new ThroughputPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var rejects = new List<RejectCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rejects.Add(new RejectCount(reader.GetString(0), reader.GetInt64(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var offsets = new List<PartitionLag>();
        while (await reader.ReadAsync(cancellationToken))
        {
            offsets.Add(new PartitionLag(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        var lastMinute = throughput.Sum(p => p.Trips);
        var stats = new PipelineStats(
            trips,
            rejects.Sum(r => r.Count),
            fares,
            tips,
            lastPickup,
            lastStored,
            Math.Round(lastMinute / ThroughputSpan.TotalSeconds, 2),
            rejects,
            offsets,
            now);
        return (stats, throughput);
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
