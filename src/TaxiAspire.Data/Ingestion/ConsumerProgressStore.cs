using Npgsql;

namespace TaxiAspire.Data.Ingestion;

/// <summary>Reads and resets the per-partition progress that <see cref="TripBatchWriter"/> stores with each batch.</summary>
public sealed class ConsumerProgressStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyDictionary<int, PartitionProgress>> LoadAsync(string consumerGroup, string topic, IEnumerable<int> partitions, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT partition, next_offset, log_epoch, last_message_fingerprint FROM consumer_offsets
            WHERE consumer_group = @group AND topic = @topic AND partition = ANY(@partitions)
            """);
        command.Parameters.AddWithValue("group", consumerGroup);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.AddWithValue("partitions", partitions.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<int, PartitionProgress>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = reader.GetInt32(0);
            result[partition] = new PartitionProgress(topic, partition, reader.GetInt64(1), reader.GetInt32(2),
                LastMessageFingerprint: reader.IsDBNull(3) ? null : reader.GetInt64(3));
        }

        return result;
    }

    /// <summary>
    /// Starts a new log epoch for a partition whose broker log is not the one its offsets were stored from (the log was
    /// recreated, e.g. a local-mode restart): reading resumes at <paramref name="nextOffset"/> under fresh ids.
    /// </summary>
    public async Task<PartitionProgress> StartNewEpochAsync(string consumerGroup, PartitionProgress stale, long nextOffset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stale);
        await using var command = dataSource.CreateCommand("""
            UPDATE consumer_offsets SET next_offset = @next, log_epoch = log_epoch + 1, last_message_fingerprint = NULL, updated_at = now()
            WHERE consumer_group = @group AND topic = @topic AND partition = @partition AND log_epoch = @epoch
            RETURNING log_epoch
            """);
        command.Parameters.AddWithValue("next", nextOffset);
        command.Parameters.AddWithValue("group", consumerGroup);
        command.Parameters.AddWithValue("topic", stale.Topic);
        command.Parameters.AddWithValue("partition", stale.Partition);
        command.Parameters.AddWithValue("epoch", stale.LogEpoch);
        var epoch = await command.ExecuteScalarAsync(cancellationToken);

        // Another replica may have started the epoch first; then read what it stored.
        if (epoch is int newEpoch)
        {
            return stale with { NextOffset = nextOffset, LogEpoch = newEpoch, LastMessageFingerprint = null };
        }

        var current = await LoadAsync(consumerGroup, stale.Topic, [stale.Partition], cancellationToken);
        return current[stale.Partition];
    }
}
