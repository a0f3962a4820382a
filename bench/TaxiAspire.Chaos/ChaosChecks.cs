using System.Text;
using Confluent.Kafka;
using Npgsql;

namespace TaxiAspire.Chaos;

/// <summary>The checks that only the chaos runner makes (the shared ones live in PipelineAudit).</summary>
internal static class ChaosChecks
{
    public static async Task<long> WindowTripCountSumAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(sum(trip_count), 0)::bigint FROM trip_windows");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until <paramref name="messages"/> messages are stored as trips or rejects. Counted in rows, not in stored
    /// offsets: offsets start again when a recreated log starts a new epoch.
    /// </summary>
    public static async Task<bool> WaitUntilStoredAsync(string dataSourceFor, long messages, TimeSpan timeout)
    {
        await using var dataSource = NpgsqlDataSource.Create(dataSourceFor);
        await using var command = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM trips) + (SELECT count(*) FROM rejected_messages)");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((long)(await command.ExecuteScalarAsync())! >= messages) return true;
            }
            catch (NpgsqlException)
            {
                // A pooled connection from before a PostgreSQL restart.
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>The keys (vendor|window start) of every message on the windows topic.</summary>
    public static List<string> ReadWindowKeys(string bootstrapServers, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"chaos-audit-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var keys = new List<string>();
        var quiet = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (DateTime.UtcNow < quiet)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                keys.Add(Encoding.UTF8.GetString(result.Message.Key));
                quiet = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            }
        }

        consumer.Close();
        return keys;
    }
}
