using System.Diagnostics;
using Npgsql;
using TaxiAspire.BenchKit;

namespace TaxiAspire.Bench;

internal sealed record LatencyResult(double AchievedRate, long Samples, double P50Ms, double P99Ms);

/// <summary>
/// Latency from the Kafka message timestamp (stamped by the producer client) to the trip being visible in PostgreSQL
/// (seen by a 5 ms poll of new rows), at a steady paced rate: what a reader of taxidb experiences.
/// </summary>
internal static class SteadyLatency
{
    public static async Task<LatencyResult> MeasureAsync(
        string bootstrapServers, string topic, int partitions, TripMessages messages, NpgsqlDataSource dataSource, int rate, TimeSpan duration)
    {
        using var producer = TripMessages.CreateProducer(bootstrapServers);
        // Warm-up: the group joins and the first batch commits before timing starts.
        messages.ProduceRange(producer, topic, 0, 100);
        var lastSeq = await WaitForAsync(dataSource, 100);

        var latencies = new List<double>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            // Write lanes commit side by side, so a trip can become visible after one with a higher ingest_seq. Within
            // a partition they commit in order, so each partition keeps its own high mark, and the query reads from
            // the lowest of them. Only this phase's processor writes trips now, so ingest_seq alone picks its rows: a
            // filter on trip_id let the planner walk the primary key over every steady row on each poll, a lag that
            // grew with the run (measured: p50 190 ms here against 61 ms in the processor's own histogram).
            var seenUpTo = new Dictionary<int, long>();
            while (!stop.IsCancellationRequested)
            {
                await using (var command = dataSource.CreateCommand(
                    "SELECT source_partition, ingest_seq, kafka_timestamp FROM trips WHERE ingest_seq > @low ORDER BY ingest_seq"))
                {
                    command.Parameters.AddWithValue("low", seenUpTo.Count < partitions ? lastSeq : seenUpTo.Values.Min());
                    await using var reader = await command.ExecuteReaderAsync();
                    var now = DateTimeOffset.UtcNow;
                    while (await reader.ReadAsync())
                    {
                        var (partition, seq) = (reader.GetInt32(0), reader.GetInt64(1));
                        if (seq <= seenUpTo.GetValueOrDefault(partition, lastSeq)) continue;
                        seenUpTo[partition] = seq;
                        latencies.Add((now - reader.GetFieldValue<DateTimeOffset>(2)).TotalMilliseconds);
                    }
                }

                await Task.Delay(5);
            }
        });

        // Paced in 10 ms ticks against the clock, so a slow tick is caught up rather than lost.
        var clock = Stopwatch.StartNew();
        long sent = 100;
        var target = 100 + (long)(rate * duration.TotalSeconds);
        while (sent < target)
        {
            var due = 100 + (long)(rate * clock.Elapsed.TotalSeconds);
            for (; sent < Math.Min(due, target); sent++)
            {
                producer.Produce(topic, messages.Message(sent));
            }

            producer.Poll(TimeSpan.Zero);
            await Task.Delay(10);
        }

        var producedIn = clock.Elapsed.TotalSeconds;
        producer.Flush(TimeSpan.FromSeconds(30));
        var settle = Stopwatch.StartNew();
        while (latencies.Count < target - 100 && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await poller;
        latencies.Sort();
        return new LatencyResult(
            (target - 100) / producedIn,
            latencies.Count,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static async Task<long> WaitForAsync(NpgsqlDataSource dataSource, long count)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await using var command = dataSource.CreateCommand("SELECT count(*), coalesce(max(ingest_seq), 0) FROM trips WHERE trip_id LIKE 'steady-%'");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            if (reader.GetInt64(0) >= count) return reader.GetInt64(1);
            await Task.Delay(50);
        }

        throw new TimeoutException("The steady-rate processor never stored its warm-up trips.");
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
