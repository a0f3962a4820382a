using Npgsql;
using NpgsqlTypes;
using TaxiAspire.StreamProcessor.Building;

namespace TaxiAspire.StreamProcessor.Storage;

/// <summary>
/// The consumer's progress in PostgreSQL (<c>consumer_offsets</c>), every statement on it in one place: read on
/// assignment (with the last stored message's fingerprint), a new log epoch for a recreated log, and, inside the batch transaction, the lock that tells whether a
/// batch is all new, the offsets' advance, and the window watermark derived from the stored event times.
/// </summary>
public sealed class ConsumerProgressStore(NpgsqlDataSource dataSource)
{
    // Locks the batch's progress rows (in one order for every writer) for the rest of the transaction: another writer
    // of the same partitions, e.g. a zombie, waits here and then finds the offsets moved.
    private const string LockProgress = """
        SELECT co.topic, co.partition, co.next_offset, co.log_epoch FROM consumer_offsets co
        JOIN unnest(@topics, @partitions) AS b(topic, partition) ON b.topic = co.topic AND b.partition = co.partition
        WHERE co.consumer_group = @group
        ORDER BY co.topic, co.partition
        FOR UPDATE OF co
        """;

    // A stored offset never moves backwards within a log epoch; a stale epoch (a zombie) never overwrites a newer one.
    // The fingerprint belongs to the message before next_offset, so it moves only with the offset.
    private const string UpsertProgress = """
        INSERT INTO consumer_offsets AS co (consumer_group, topic, partition, next_offset, log_epoch, max_event_time, last_message_fingerprint)
        SELECT @group, * FROM unnest(@topics, @partitions, @offsets, @epochs, @max_event_times, @fingerprints)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
            next_offset = GREATEST(co.next_offset, excluded.next_offset),
            last_message_fingerprint = CASE WHEN excluded.next_offset >= co.next_offset
                THEN excluded.last_message_fingerprint ELSE co.last_message_fingerprint END,
            max_event_time = GREATEST(co.max_event_time, excluded.max_event_time),
            updated_at = now()
        WHERE co.log_epoch = excluded.log_epoch
        """;

    // The watermark rule, its one definition: the slowest partition's newest pickup minus the allowed lateness. Null
    // while no partition has stored an event time. Parameters: @lateness, @group, @topics (see AddWatermarkParameters).
    internal const string Watermark = """
        SELECT min(max_event_time) - @lateness FROM consumer_offsets
        WHERE consumer_group = @group AND topic = ANY(@topics) AND max_event_time IS NOT NULL
        """;

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

    /// <summary>
    /// Locks the batch's progress rows for the transaction and tells whether every partition of the batch has stored
    /// progress in the batch's log epoch ending at or before the batch's first message: then no message of the batch
    /// is stored yet.
    /// </summary>
    /// <remarks>
    /// <paramref name="before"/> (e.g. the transaction's settings) is sent with the lock in one round trip, and runs first.
    /// </remarks>
    internal static async Task<bool> LockAndCheckFreshAsync(NpgsqlConnection connection, TripBatch batch, NpgsqlBatchCommand before, CancellationToken cancellationToken)
    {
        var firstOffsets = new Dictionary<(string Topic, int Partition), long>();
        foreach (var source in batch.Trips.Select(t => t.Source).Concat(batch.Rejects.Select(r => r.Source)))
        {
            var key = (source.Topic, source.Partition);
            if (!firstOffsets.TryGetValue(key, out var first) || source.Offset < first)
            {
                firstOffsets[key] = source.Offset;
            }
        }

        var command = new NpgsqlBatchCommand(LockProgress);
        command.Parameters.AddWithValue("group", batch.ConsumerGroup);
        command.Parameters.AddWithValue("topics", batch.Progress.Select(p => p.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", batch.Progress.Select(p => p.Partition).ToArray());
        await using var statements = new NpgsqlBatch(connection) { BatchCommands = { before, command } };
        var epochs = batch.Progress.ToDictionary(p => (p.Topic, p.Partition), p => p.LogEpoch);
        var fresh = 0;
        // The first statement returns no rows, so the reader starts on the lock's.
        await using var reader = await statements.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetInt32(1));
            var storedNext = reader.GetInt64(2);
            var storedEpoch = reader.GetInt32(3);
            if (storedEpoch == epochs[key] && (!firstOffsets.TryGetValue(key, out var first) || storedNext <= first))
            {
                fresh++;
            }
        }

        // A partition without a row (its first batch ever) is not proven fresh: two writers could both find none.
        return fresh == batch.Progress.Count;
    }

    /// <summary>Stores each partition's next offset and newest event time, in the batch transaction.</summary>
    internal static NpgsqlBatchCommand Advance(string group, IReadOnlyList<PartitionProgress> progress)
    {
        var command = new NpgsqlBatchCommand(UpsertProgress);
        command.Parameters.AddWithValue("group", group);
        command.Parameters.AddWithValue("topics", progress.Select(p => p.Topic).ToArray());
        command.Parameters.AddWithValue("partitions", progress.Select(p => p.Partition).ToArray());
        command.Parameters.AddWithValue("offsets", progress.Select(p => p.NextOffset).ToArray());
        command.Parameters.AddWithValue("epochs", progress.Select(p => p.LogEpoch).ToArray());
        command.Parameters.Add(new NpgsqlParameter("max_event_times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = progress.Select(p => p.MaxEventTime is { } t ? (DateTime?)t.UtcDateTime : null).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("fingerprints", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        {
            Value = progress.Select(p => p.LastMessageFingerprint).ToArray(),
        });
        return command;
    }

    /// <summary>The parameters of <see cref="Watermark"/>: the batch's group and topics, and the allowed lateness.</summary>
    internal static void AddWatermarkParameters(NpgsqlParameterCollection parameters, TripBatch batch, TimeSpan allowedLateness)
    {
        parameters.AddWithValue("lateness", allowedLateness);
        parameters.AddWithValue("group", batch.ConsumerGroup);
        parameters.AddWithValue("topics", batch.Progress.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToArray());
    }
}
