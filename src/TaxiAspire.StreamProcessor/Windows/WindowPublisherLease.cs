using Npgsql;

namespace TaxiAspire.StreamProcessor.Windows;

/// <summary>
/// Held by the one replica that publishes closed windows: a dedicated connection owning the advisory lock. Losing the
/// connection loses the lease (PostgreSQL releases session locks), so every call fails once the lease is gone.
/// </summary>
public sealed class WindowPublisherLease(NpgsqlConnection connection, Guid instanceId) : IAsyncDisposable
{
    /// <summary>Names this database in published messages, so a topic that outlived its database is not trusted.</summary>
    public Guid InstanceId { get; } = instanceId;

    /// <summary>
    /// Numbers up to <paramref name="max"/> closed windows for publication and binds each to a partition. Committed
    /// before anything is produced, so after a crash the numbers say which messages may already be in the topic.
    /// </summary>
    public async Task<int> NumberAsync(int partitions, int max, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH next AS (
                SELECT vendor_id, window_start FROM window_publications
                WHERE published_at IS NULL AND publish_seq IS NULL
                ORDER BY closed_at, window_start, vendor_id
                LIMIT @max
            ),
            numbered AS (
                SELECT vendor_id, window_start, nextval('window_publish_seq') AS seq FROM next
            )
            UPDATE window_publications wp
            SET publish_seq = n.seq, publish_partition = (n.seq % @partitions)::int
            FROM numbered n
            WHERE wp.vendor_id = n.vendor_id AND wp.window_start = n.window_start
            """, connection);
        command.Parameters.AddWithValue("max", max);
        command.Parameters.AddWithValue("partitions", (long)partitions);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Numbered, not yet confirmed publications, in sequence order (the order they must be produced in).</summary>
    public async Task<IReadOnlyList<PendingWindowPublication>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT publish_seq, publish_partition, vendor_id, window_start, window_end, trip_count, fare_sum, tip_sum,
                   total_sum, distance_sum, watermark
            FROM window_publications WHERE published_at IS NULL AND publish_seq IS NOT NULL
            ORDER BY publish_seq
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingWindowPublication>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingWindowPublication(
                reader.GetInt64(0), reader.GetInt32(1), reader.GetInt16(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetInt64(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetDouble(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return pending;
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE window_publications SET published_at = now() WHERE publish_seq = ANY(@seqs) AND published_at IS NULL", connection);
        command.Parameters.AddWithValue("seqs", sequences.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Recovery after a crash or a failed round: a partition's last message carries the highest sequence that reached
    /// it, and the ordered, idempotent producer wrote that partition's smaller sequences before it.
    /// </summary>
    public async Task<int> MarkDeliveredUpToAsync(IReadOnlyDictionary<int, long> lastSequenceByPartition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lastSequenceByPartition);
        if (lastSequenceByPartition.Count == 0) return 0;
        await using var command = new NpgsqlCommand("""
            UPDATE window_publications wp SET published_at = now()
            FROM unnest(@partitions, @lasts) AS l(partition, last_seq)
            WHERE wp.published_at IS NULL AND wp.publish_partition = l.partition AND wp.publish_seq <= l.last_seq
            """, connection);
        command.Parameters.AddWithValue("partitions", lastSequenceByPartition.Keys.ToArray());
        command.Parameters.AddWithValue("lasts", lastSequenceByPartition.Values.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // A pooled connection keeps its session (and this lock) until it is reused; release the lock now.
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and the lock with it.
        }
        catch (InvalidOperationException)
        {
            // The connection is broken or closed: nothing holds the lock any more.
        }

        await connection.DisposeAsync();
    }
}
