using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace TaxiAspire.Api.LoadTest;

/// <summary>
/// Fills taxidb with historic trips fast: binary COPY straight into <c>trips</c>, then the window aggregates computed
/// from them in one statement (what the processor would have added, batch by batch). Stored times lie in the past, so
/// the seed does not count as "trips per second over the last minute".
/// </summary>
internal static class TripSeeder
{
    private const int Vendors = 2;

    public static async Task SeedAsync(NpgsqlDataSource dataSource, long trips, TextWriter log, CancellationToken cancellationToken)
    {
        await using (var count = dataSource.CreateCommand("SELECT count(*) FROM trips"))
        {
            var existing = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (existing >= trips)
            {
                await log.WriteLineAsync($"seed: {existing:N0} trips already stored, nothing to add");
                return;
            }

            if (existing > 0)
            {
                throw new InvalidOperationException($"taxidb holds {existing:N0} trips, fewer than {trips:N0}; start from an empty database.");
            }
        }

        var watch = Stopwatch.StartNew();
        // Thirty days of history ending an hour ago, in pickup order.
        var end = DateTimeOffset.UtcNow.AddHours(-1);
        var start = end.AddDays(-30);
        var step = (end - start).Ticks / trips;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using (var fast = new NpgsqlCommand("SET synchronous_commit = off", connection))
            {
                await fast.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var importer = await connection.BeginBinaryImportAsync("""
                COPY trips (trip_id, vendor_id, pickup_at, passenger_count, trip_distance, payment_type, fare_amount,
                            tip_amount, total_amount, source_topic, source_partition, source_offset, stored_at) FROM STDIN (FORMAT BINARY)
                """, cancellationToken);
            for (long i = 0; i < trips; i++)
            {
                var pickup = start.AddTicks(step * i);
                var distance = 0.4 + (i % 97) / 9.0;
                var fare = Math.Round(3m + (decimal)distance * 2.5m, 2);
                var tip = i % 3 == 0 ? 0m : Math.Round(fare * 0.18m, 2);
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync($"seed-{i}", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync((short)(1 + (i % Vendors)), NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(pickup, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync((short)(1 + (i % 4)), NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(distance, NpgsqlDbType.Double, cancellationToken);
                await importer.WriteAsync((short)(1 + (i % 2)), NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(fare, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(tip, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(fare + tip, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync("taxi_trips", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync((int)(i % 4), NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(i / 4, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(pickup.AddSeconds(2), NpgsqlDbType.TimestampTz, cancellationToken);
                if (i % 500_000 == 499_999)
                {
                    await log.WriteLineAsync($"seed: {i + 1:N0} trips copied ({watch.Elapsed.TotalSeconds:0} s)");
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await log.WriteLineAsync($"seed: {trips:N0} trips copied in {watch.Elapsed.TotalSeconds:0} s; computing windows");
        await using (var windows = dataSource.CreateCommand("""
            INSERT INTO trip_windows (vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum, total_sum, distance_sum)
            SELECT t.vendor_id, w.start, w.start + interval '10 minutes', count(*), sum(t.fare_amount), sum(t.tip_amount),
                   sum(t.total_amount), sum(t.trip_distance)
            FROM trips t
            CROSS JOIN LATERAL (VALUES (to_timestamp(floor(extract(epoch FROM t.pickup_at) / 300) * 300)),
                                       (to_timestamp(floor(extract(epoch FROM t.pickup_at) / 300) * 300 - 300))) AS w(start)
            GROUP BY 1, 2
            """))
        {
            windows.CommandTimeout = 0;
            await windows.ExecuteNonQueryAsync(cancellationToken);
        }

        // One statement each: VACUUM refuses to run inside a multi-statement command.
        foreach (var table in new[] { "trips", "trip_windows" })
        {
            await using var analyze = dataSource.CreateCommand($"VACUUM ANALYZE {table}");
            analyze.CommandTimeout = 0;
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        await log.WriteLineAsync($"seed: done in {watch.Elapsed.TotalSeconds:0} s");
    }
}
